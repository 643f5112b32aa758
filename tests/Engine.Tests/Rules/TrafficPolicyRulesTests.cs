using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class TrafficPolicyRulesTests
{
    private const string TwoLevels = Specs.TwoLevels;

    private static string WithModel(string body) => Specs.Gateway + Specs.Backends + "models:\n  gpt-4o:\n" + body;

    private static string WithFailover(string failover) => WithModel("    failover:\n" + failover + TwoLevels);

    private static List<Diagnostic> Check(string yaml, ModelsPolicy? policy = null) => Specs.Run(TrafficPolicyRules.Check, yaml, policy);

    [Theory]
    [InlineData("      numRetries: 16\n", "models.gpt-4o.failover.numRetries", "16 is out of range; use 0 to 15")]
    [InlineData("      numRetries: -1\n", "models.gpt-4o.failover.numRetries", "-1 is out of range")]
    [InlineData("      retryOn: {httpStatusCodes: [99]}\n", "models.gpt-4o.failover.retryOn.httpStatusCodes[0]", "99 is not an HTTP status code")]
    [InlineData("      retryOn: {httpStatusCodes: [500, 600]}\n", "models.gpt-4o.failover.retryOn.httpStatusCodes[1]", "600 is not an HTTP status code")]
    [InlineData("      retryOn: {triggers: [reset, retriable-4XX]}\n", "models.gpt-4o.failover.retryOn.triggers[1]", "unknown retry trigger \"retriable-4XX\" (did you mean \"retriable-4xx\"?)")]
    [InlineData("      perRetryTimeout: 1d\n", "models.gpt-4o.failover.perRetryTimeout", "use 24h")]
    [InlineData("      backOff: {baseInterval: soon}\n", "models.gpt-4o.failover.backOff.baseInterval", "is not a duration")]
    [InlineData("      backOff: {maxInterval: 1m30}\n", "models.gpt-4o.failover.backOff.maxInterval", "is not a duration")]
    public void Failover_settings_are_checked(string failover, string path, string fragment) =>
        Specs.SingleError(Check(WithFailover(failover)), path, fragment);

    [Fact]
    public void Every_known_trigger_and_the_edges_of_the_ranges_pass()
    {
        var triggers = string.Join(", ", FailoverDefaults.Triggers);
        Specs.NoDiagnostics(Check(WithFailover($"      numRetries: 15\n      retryOn: {{httpStatusCodes: [100, 599], triggers: [{triggers}]}}\n")));
        Specs.NoDiagnostics(Check(WithFailover("      numRetries: 0\n")));
    }

    [Fact]
    public void Failover_with_a_single_priority_is_a_warning()
    {
        var findings = Check(WithModel("    failover: {numRetries: 2}\n    backends:\n      a: {ref: openai}\n      b: {ref: anthropic}\n"));
        var warning = Assert.Single(findings);
        Assert.False(warning.IsError);
        Assert.Equal("models.gpt-4o.failover", warning.Path);
        Assert.Contains("failover settings have no effect", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    public void The_default_number_of_retries_is_within_the_range_an_explicit_value_may_take(int levels)
    {
        var retries = TrafficPolicyRules.Effective(null, levels).NumRetries;
        Assert.InRange(retries, 0, FailoverDefaults.MaxNumRetries);
        Assert.Equal(Math.Max(0, levels - 1), retries);
        Assert.Equal(ModelRules.MaxBackendsPerModel - 1, FailoverDefaults.MaxNumRetries);
    }

    [Fact]
    public void The_built_in_retry_settings_match_no_known_crash_pattern()
    {
        var defaults = TrafficPolicyRules.Effective(null, 2);
        Assert.Empty(KnownCrashPatterns.Matching(defaults.HttpStatusCodes, defaults.Triggers));
        Assert.DoesNotContain(429, defaults.HttpStatusCodes);
    }

    [Fact]
    public void Every_known_crash_pattern_cites_its_upstream_issue()
    {
        Assert.NotEmpty(KnownCrashPatterns.All);
        Assert.All(KnownCrashPatterns.All, p => Assert.StartsWith("https://github.com/", p.Source, StringComparison.Ordinal));
        Assert.Contains("ai-gateway/issues/1855", KnownCrashPatterns.RetriableStatusCode429.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      retryOn: {httpStatusCodes: [429, 503], triggers: [connect-failure, retriable-status-codes]}\n")]
    [InlineData("      retryOn: {httpStatusCodes: [429]}\n")] // the default triggers hold retriable-status-codes
    public void Retrying_429_with_retriable_status_codes_is_denied(string failover)
    {
        var error = Specs.SingleError(Check(WithFailover(failover)), "models.gpt-4o.failover.retryOn", "crashes Envoy (SIGSEGV)");
        Assert.Contains("envoyproxy/ai-gateway#1855", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove 429", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_can_turn_the_crash_pattern_into_a_warning()
    {
        var warn = ModelsPolicy.Default with { KnownCrashPatterns = CrashPatternAction.Warn };
        var warning = Assert.Single(Check(WithFailover("      retryOn: {httpStatusCodes: [429]}\n"), warn));
        Assert.False(warning.IsError);
        Assert.Contains("knownCrashPatterns: Warn", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retrying_429_on_another_trigger_only_is_not_the_pattern() =>
        Specs.NoDiagnostics(Check(WithFailover("      retryOn: {httpStatusCodes: [429], triggers: [connect-failure, reset]}\n")));

    [Fact]
    public void Crash_patterns_in_modelDefaults_are_reported_once_at_their_path()
    {
        var yaml = Specs.Gateway + Specs.Backends + "modelDefaults:\n  failover: {retryOn: {httpStatusCodes: [429]}}\nmodels:\n"
            + "  a:\n" + TwoLevels + "  b:\n" + TwoLevels + "  c:\n    failover: {numRetries: 1}\n" + TwoLevels;
        Specs.SingleError(Check(yaml), "modelDefaults.failover.retryOn", "crashes Envoy");
    }

    [Fact]
    public void A_model_without_fallbacks_never_emits_the_pattern_so_it_is_not_judged() =>
        Assert.DoesNotContain(Check(WithModel("    failover: {retryOn: {httpStatusCodes: [429]}}\n    backends:\n      a: {ref: openai}\n      b: {ref: anthropic}\n")), d => d.IsError);

    [Theory]
    [InlineData("consecutive5XxErrors: 0", "consecutive5XxErrors", "0 is out of range")]
    [InlineData("consecutiveGatewayErrors: -3", "consecutiveGatewayErrors", "-3 is out of range")]
    [InlineData("maxEjectionPercent: 101", "maxEjectionPercent", "101 is not a percentage")]
    [InlineData("interval: 1d", "interval", "use 24h")]
    [InlineData("baseEjectionTime: later", "baseEjectionTime", "is not a duration")]
    public void Passive_health_check_settings_are_checked(string setting, string field, string fragment) =>
        Specs.SingleError(Check(WithModel($"    healthCheck: {{passive: {{{setting}}}}}\n" + TwoLevels)), "models.gpt-4o.healthCheck.passive." + field, fragment);

    [Fact]
    public void Recommended_passive_health_check_settings_pass() =>
        Specs.NoDiagnostics(Check(WithModel("    healthCheck: {passive: {consecutive5XxErrors: 3, consecutiveGatewayErrors: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}}\n" + TwoLevels)));

    [Fact]
    public void A_stream_idle_timeout_at_or_beyond_the_request_timeout_never_fires()
    {
        var warning = Assert.Single(Check(WithModel("    streamIdleTimeout: 60s\n" + TwoLevels)));
        Assert.Equal("models.gpt-4o.streamIdleTimeout", warning.Path);
        Assert.Contains("AI Gateway's default request timeout of 60s", warning.Message, StringComparison.Ordinal);
        Assert.Contains("the model's timeout of 5m", Assert.Single(Check(WithModel("    timeout: 5m\n    streamIdleTimeout: 10m\n" + TwoLevels))).Message, StringComparison.Ordinal);
        Specs.NoDiagnostics(Check(WithModel("    timeout: 5m\n    streamIdleTimeout: 30s\n" + TwoLevels)));
    }

    [Fact]
    public void A_stream_idle_timeout_needs_a_trigger_that_retries_a_timed_out_try()
    {
        var warning = Assert.Single(Check(WithModel("    streamIdleTimeout: 20s\n    failover: {retryOn: {triggers: [connect-failure, retriable-status-codes]}}\n" + TwoLevels)));
        Assert.Contains("add reset to failover.retryOn.triggers", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20 seconds", "is not a duration")]
    [InlineData("0s", "would end every stream at once")]
    public void A_stream_idle_timeout_is_a_positive_duration(string idle, string fragment) =>
        Specs.SingleError(Check(WithModel($"    streamIdleTimeout: {idle}\n" + TwoLevels)), "models.gpt-4o.streamIdleTimeout", fragment);

    [Fact]
    public void A_per_retry_timeout_as_long_as_the_request_leaves_no_time_to_fail_over()
    {
        var warning = Assert.Single(Check(WithModel("    timeout: 30s\n    failover: {perRetryTimeout: 30s}\n" + TwoLevels)));
        Assert.Equal("models.gpt-4o.failover.perRetryTimeout", warning.Path);
        Assert.Contains("leaves no time to fail over", warning.Message, StringComparison.Ordinal);
    }
}
