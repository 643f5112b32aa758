using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class RateLimitRulesTests
{
    private static string WithPolicy(string rateLimitPolicy) => Specs.Gateway + "rateLimitPolicy:\n" + rateLimitPolicy + Specs.Backends + Specs.Models;

    private static string WithDefaultRates(string rates) => WithPolicy($"  defaults:\n    limits:\n      default:\n        rates: {rates}\n");

    private static List<Diagnostic> Check(string yaml, ModelsPolicy? policy = null) => Specs.Run(RateLimitRules.Check, yaml, policy);

    private const string FirstRate = "rateLimitPolicy.defaults.limits.default.rates[0]";

    [Fact]
    public void No_rate_limit_settings_means_nothing_to_judge() => Specs.NoDiagnostics(Check(Specs.Valid));

    [Theory]
    [InlineData("[{limit: 0, window: 1m}]", FirstRate + ".limit", "0 allows no requests")]
    [InlineData("[{limit: -5, window: 1m}]", FirstRate + ".limit", "-5 allows no requests")]
    [InlineData("[{limit: 2147483648, window: 1m}]", FirstRate + ".limit", "2147483648 is too large; use at most 2147483647")]
    [InlineData("[{limit: 10, window: 1d}]", FirstRate + ".window", "\"1d\" is not a Kuadrant window: days are not a unit here; use 24h")]
    [InlineData("[{limit: 10, window: \"60\"}]", FirstRate + ".window", "a duration needs a unit; write 60s for seconds or 60m for minutes")]
    [InlineData("[{limit: 10, window: 1 minute}]", FirstRate + ".window", "write a duration like 30s")]
    [InlineData("[{limit: 10, window: 123456s}]", FirstRate + ".window", "at most 5 digits per group")]
    [InlineData("[]", "rateLimitPolicy.defaults.limits.default.rates", "no rates are given")]
    public void Rates_are_checked(string rates, string path, string fragment) =>
        Specs.SingleError(Check(WithDefaultRates(rates)), path, fragment);

    [Theory]
    [InlineData("[{limit: 1, window: 1s}]")]
    [InlineData("[{limit: 2147483647, window: 99999h}]")]
    [InlineData("[{limit: 100, window: 1h30m}, {limit: 10, window: 500ms}]")]
    public void Valid_rates_pass(string rates) => Specs.NoDiagnostics(Check(WithDefaultRates(rates)));

    [Fact]
    public void An_empty_limits_map_is_an_error_where_it_is()
    {
        Specs.SingleError(Check(WithPolicy("  defaults:\n    limits: {}\n")), "rateLimitPolicy.defaults.limits", "no limits are given");
        Specs.SingleError(Check(Specs.Valid + "    rateLimit:\n      limits: {}\n"), "models.gpt-4o.rateLimit.limits", "no limits are given");
    }

    [Theory]
    [InlineData("a-b", "a_b")]
    [InlineData("per.minute", "per-minute")]
    [InlineData("x y", "x_y")]
    public void Limit_names_that_sanitise_alike_collide(string first, string second)
    {
        var yaml = WithPolicy($"  defaults:\n    limits:\n      \"{first}\": {{rates: [{{limit: 1, window: 1s}}]}}\n      \"{second}\": {{rates: [{{limit: 2, window: 1m}}]}}\n");
        var error = Assert.Single(Check(yaml));
        Assert.Contains($"limit \"{second}\" and limit \"{first}\" become the same Kuadrant identifier {RateLimitRules.Sanitise(first)}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt4-limit", "gpt4_limit")]
    [InlineData("per_minute", "per_minute")]
    [InlineData("a.b/c d", "a_b_c_d")]
    public void Sanitise_keeps_letters_digits_and_underscores(string name, string expected) => Assert.Equal(expected, RateLimitRules.Sanitise(name));

    [Fact]
    public void A_limit_name_has_1_to_63_characters()
    {
        var ok = new string('l', 63);
        Specs.NoDiagnostics(Check(WithPolicy($"  defaults:\n    limits:\n      {ok}: {{rates: [{{limit: 1, window: 1s}}]}}\n")));
        var tooLong = new string('l', 64);
        Specs.SingleError(Check(WithPolicy($"  defaults:\n    limits:\n      {tooLong}: {{rates: [{{limit: 1, window: 1s}}]}}\n")),
            "rateLimitPolicy.defaults.limits." + tooLong, "a limit name needs 1 to 63 characters");
    }

    [Fact]
    public void The_policy_caps_requests_per_window_inclusively()
    {
        var policy = ModelsPolicy.Default with { MaxRequestsPerWindow = 1000 };
        Specs.NoDiagnostics(Check(WithDefaultRates("[{limit: 1000, window: 1m}]"), policy));
        Specs.SingleError(Check(WithDefaultRates("[{limit: 1001, window: 1m}]"), policy), FirstRate + ".limit", "1001 exceeds the policy's maximum of 1000 requests per window");
        Specs.SingleError(Check(Specs.Valid + "    rateLimit:\n      limits:\n        burst: {rates: [{limit: 5000, window: 1s}]}\n", policy),
            "models.gpt-4o.rateLimit.limits.burst.rates[0].limit", "exceeds the policy's maximum");
    }

    [Fact]
    public void Per_model_limits_while_rate_limiting_is_disabled_are_a_warning()
    {
        var yaml = Specs.Gateway + "rateLimitPolicy: {enabled: false}\n" + Specs.Backends + Specs.Models + "    rateLimit:\n      limits:\n        burst: {rates: [{limit: 5, window: 1s}]}\n";
        var warning = Assert.Single(Check(yaml));
        Assert.False(warning.IsError);
        Assert.Equal("models.gpt-4o.rateLimit.limits", warning.Path);
        Assert.Contains("ignored: rateLimitPolicy.enabled is false", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team: team-a")]
    [InlineData("example.com/team: a")]
    [InlineData("cost-center: \"\"")]
    [InlineData("tier: \"1\"")]
    public void Valid_labels_pass(string label) => Specs.NoDiagnostics(Check(WithPolicy($"  labels: {{{label}}}\n")));

    [Theory]
    [InlineData("\"team name\": a", "rateLimitPolicy.labels[\"team name\"]", "is not a valid label key")]
    [InlineData("\"Example.com/team\": a", "rateLimitPolicy.labels[\"Example.com/team\"]", "is not a valid label key")]
    [InlineData("team: -a-", "rateLimitPolicy.labels.team", "is not a valid label value")]
    [InlineData("app.kubernetes.io/managed-by: helm", "rateLimitPolicy.labels[\"app.kubernetes.io/managed-by\"]", "is set by the expander and cannot be overridden")]
    [InlineData("models.ai-gateway.io/source: x", "rateLimitPolicy.labels[\"models.ai-gateway.io/source\"]", "is set by the expander")]
    public void Invalid_and_reserved_labels_are_errors(string label, string path, string fragment) =>
        Specs.SingleError(Check(WithPolicy($"  labels: {{{label}}}\n")), path, fragment);

    [Fact]
    public void A_label_value_over_63_characters_is_an_error() =>
        Specs.SingleError(Check(WithPolicy($"  labels: {{team: {new string('a', 64)}}}\n")), "rateLimitPolicy.labels.team", "is not a valid label value");

    [Fact]
    public void Annotation_keys_are_checked_and_their_total_size_is_bounded()
    {
        Specs.SingleError(Check(WithPolicy("  annotations: {\"/owner\": a}\n")), "rateLimitPolicy.annotations[\"/owner\"]", "is not a valid annotation key");
        Specs.NoDiagnostics(Check(WithPolicy("  annotations: {example.com/description: \"any text: with spaces, and punctuation!\"}\n")));
        var big = new string('a', 130 * 1024);
        Specs.SingleError(Check(WithPolicy($"  annotations: {{a: {big}, b: {big}}}\n")), "rateLimitPolicy.annotations", "annotations total more than 256 KiB");
    }
}
