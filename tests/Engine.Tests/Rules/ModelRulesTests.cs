using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class ModelRulesTests
{
    private static string WithModel(string body) => Specs.Gateway + Specs.Backends + "models:\n  gpt-4o:\n" + body;

    private static string WithSlots(params string[] slots) =>
        WithModel("    backends:\n" + string.Concat(slots.Select(s => "      " + s + "\n")));

    private static List<Diagnostic> Check(string yaml, ModelsPolicy? policy = null) => Specs.Run(ModelRules.Check, yaml, policy);

    private static List<Diagnostic> Warnings(List<Diagnostic> diagnostics) => diagnostics.Where(d => !d.IsError).ToList();

    [Fact]
    public void A_model_with_a_fallback_is_fine() => Specs.NoDiagnostics(Check(Specs.Valid));

    [Fact]
    public void A_model_needs_two_enabled_backends()
    {
        Specs.SingleError(Check(WithSlots("a: {ref: openai}")), "models.gpt-4o.backends", "model gpt-4o has 1 enabled backend(s); at least 2 are required");
        Specs.SingleError(Check(WithSlots("a: {ref: openai}", "b: {ref: anthropic, enabled: false}")), "models.gpt-4o.backends", "has 1 enabled backend(s)");
    }

    [Fact]
    public void A_disabled_model_may_have_fewer() =>
        Specs.NoErrors(Check(WithModel("    enabled: false\n    backends:\n      a: {ref: openai}\n")));

    [Fact]
    public void The_policy_sets_the_minimum()
    {
        var three = ModelsPolicy.Default with { MinBackendsPerModel = 3 };
        Specs.SingleError(Check(Specs.Valid, three), "models.gpt-4o.backends", "at least 3 are required");
        var one = ModelsPolicy.Default with { MinBackendsPerModel = 1 };
        Specs.NoErrors(Check(WithSlots("a: {ref: openai}"), one));
    }

    [Fact]
    public void Sixteen_backends_fit_and_seventeen_do_not()
    {
        string[] Slots(int n) => Enumerable.Range(1, n).Select(i => $"s{i}: {{ref: {(i % 2 == 0 ? "openai" : "anthropic")}, modelNameOverride: m{i}}}").ToArray();
        Specs.NoErrors(Check(WithSlots(Slots(16))));
        Specs.SingleError(Check(WithSlots(Slots(17))), "models.gpt-4o.backends", "has 17 enabled backends; an HTTPRoute rule takes at most 16");
    }

    [Fact]
    public void A_reference_to_an_undefined_backend_suggests_the_closest()
    {
        Specs.SingleError(Check(WithSlots("a: {ref: openai}", "b: {ref: antropic}")), "models.gpt-4o.backends.b.ref",
            "backend \"antropic\" is not defined under backends (did you mean \"anthropic\"?); defined: openai, anthropic");
        Specs.SingleError(Check(WithSlots("a: {ref: openai}", "b: {ref: mistral}")), "models.gpt-4o.backends.b.ref", "backend \"mistral\" is not defined under backends; defined:");
    }

    [Fact]
    public void Each_model_id_belongs_to_one_enabled_model()
    {
        var second = "  gpt-4o-copy:\n    modelMatch: gpt-4o\n    backends:\n      a: {ref: openai}\n      b: {ref: anthropic, priority: 1}\n";
        Specs.SingleError(Check(Specs.Valid + second), "models.gpt-4o-copy.modelMatch", "model id \"gpt-4o\" is already matched by models.gpt-4o");
        Specs.NoErrors(Check(Specs.Valid + second.Edit("    modelMatch", "    enabled: false\n    modelMatch")));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"gpt-4o\\u0000\"")]
    [InlineData("\"gpt\\t4o\"")]
    public void A_model_id_must_be_printable_and_not_empty(string modelMatch) =>
        Specs.SingleError(Check(WithModel($"    modelMatch: {modelMatch}\n    backends:\n      a: {{ref: openai}}\n      b: {{ref: anthropic}}\n")), "models.gpt-4o.modelMatch", "cannot be matched");

    [Fact]
    public void A_model_id_may_be_256_characters_long_but_not_more()
    {
        string Body(int n) => $"    modelMatch: {new string('x', n)}\n    backends:\n      a: {{ref: openai}}\n      b: {{ref: anthropic}}\n";
        Specs.NoErrors(Check(WithModel(Body(256))));
        Specs.SingleError(Check(WithModel(Body(257))), "models.gpt-4o.modelMatch", "1 to 256 printable characters");
    }

    [Theory]
    [InlineData("priority: -1", "priority", "-1 is negative")]
    [InlineData("weight: -1", "weight", "-1 is out of range; use 0 to 1,000,000")]
    [InlineData("weight: 1000001", "weight", "1000001 is out of range; use 0 to 1,000,000")]
    public void Priorities_and_weights_have_ranges(string field, string name, string fragment) =>
        Specs.SingleError(Check(WithSlots($"a: {{ref: openai, {field}}}", "b: {ref: anthropic, priority: 1}")), "models.gpt-4o.backends.a." + name, fragment);

    [Fact]
    public void Weights_0_and_1000000_are_in_range() =>
        Specs.NoErrors(Check(WithSlots("a: {ref: openai, weight: 1000000}", "b: {ref: anthropic, weight: 0}", "c: {ref: anthropic, priority: 1}")));

    [Fact]
    public void Priority_gaps_are_a_warning_that_names_the_compacted_levels()
    {
        var warning = Assert.Single(Warnings(Check(WithSlots("a: {ref: openai}", "b: {ref: anthropic, priority: 2}", "c: {ref: anthropic, priority: 7, modelNameOverride: x}"))));
        Assert.Equal("models.gpt-4o.backends", warning.Path);
        Assert.Contains("priorities 0, 2, 7 have gaps; Envoy needs contiguous levels, so they are applied as 0, 1, 2", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_level_of_zero_weights_is_a_warning()
    {
        var warning = Assert.Single(Warnings(Check(WithSlots("a: {ref: openai, weight: 0}", "b: {ref: anthropic, weight: 0}", "c: {ref: anthropic, priority: 1, modelNameOverride: x}"))));
        Assert.Contains("every backend at priority 0 has weight 0", warning.Message, StringComparison.Ordinal);
        Assert.Empty(Warnings(Check(WithSlots("a: {ref: openai, weight: 0}", "b: {ref: anthropic, weight: 1}"))));
    }

    [Fact]
    public void Two_slots_doing_the_same_thing_are_a_warning()
    {
        var warning = Assert.Single(Warnings(Check(WithSlots("a: {ref: openai}", "b: {ref: openai}", "c: {ref: anthropic, priority: 1}"))));
        Assert.Contains("slots a, b send the same model to the same backend at the same priority", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_priorities_are_left_out_of_the_levels_a_gap_warning_names()
    {
        var diagnostics = Check(WithSlots("a: {ref: openai, priority: -3}", "b: {ref: anthropic}", "c: {ref: anthropic, priority: 4, modelNameOverride: x}"));
        Specs.SingleError(diagnostics, "models.gpt-4o.backends.a.priority", "-3 is negative");
        Assert.Contains("priorities 0, 4 have gaps; Envoy needs contiguous levels, so they are applied as 0, 1", Assert.Single(Warnings(diagnostics)).Message, StringComparison.Ordinal);
        Assert.Empty(Warnings(Check(WithSlots("a: {ref: openai, priority: -1}", "b: {ref: anthropic}", "c: {ref: anthropic, priority: 1, modelNameOverride: x}"))));
    }

    [Fact]
    public void Levels_of_zero_weights_and_repeated_slots_are_warned_about_in_the_order_of_their_first_slot()
    {
        var warnings = Warnings(Check(WithSlots(
            "a: {ref: anthropic, priority: 1, weight: 0}",
            "b: {ref: openai, weight: 0}",
            "c: {ref: anthropic, priority: 1, weight: 0}",
            "d: {ref: openai, weight: 0, enabled: false}",
            "e: {ref: openai, weight: 0}")));
        Assert.Equal(
            [
                "every backend at priority 1 has weight 0, so that level receives no traffic",
                "every backend at priority 0 has weight 0, so that level receives no traffic",
                "slots a, c send the same model to the same backend at the same priority; merge them and use weight instead",
                "slots b, e send the same model to the same backend at the same priority; merge them and use weight instead",
            ],
            warnings.Select(w => w.Message));
    }

    [Fact]
    public void A_disabled_slot_is_no_repeat_of_an_enabled_one() =>
        Assert.Empty(Warnings(Check(WithSlots("a: {ref: openai}", "b: {ref: openai, enabled: false}", "c: {ref: anthropic, priority: 1}"))));

    [Fact]
    public void Repeats_are_found_among_more_slots_than_a_route_rule_takes()
    {
        var slots = Enumerable.Range(0, 20).Select(i => $"s{i}: {{ref: openai, modelNameOverride: m{i % 18}}}").Append("t: {ref: anthropic}").ToArray();
        var diagnostics = Check(WithSlots(slots));
        Specs.SingleError(diagnostics, "models.gpt-4o.backends", "has 21 enabled backends; an HTTPRoute rule takes at most 16");
        Assert.Equal(
            ["slots s0, s18 send", "slots s1, s19 send"],
            Warnings(diagnostics).Where(w => w.Message.StartsWith("slots", StringComparison.Ordinal)).Select(w => w.Message[..18]));
    }

    [Theory]
    [InlineData(2, "a: {ref: openai}", "b: {ref: openai, modelNameOverride: x, priority: 1}", "c: {ref: openai, priority: 2}")]
    [InlineData(3, "a: {ref: openai}", "b: {ref: anthropic, priority: 1}", "c: {ref: anthropic, priority: 2}")]
    public void The_minimum_counts_distinct_backends_not_slots(int minimum, params string[] slots)
    {
        var error = Specs.SingleError(Check(WithSlots(slots), ModelsPolicy.Default with { MinBackendsPerModel = minimum }), "models.gpt-4o.backends", "enabled slots but");
        Assert.Contains("a backend repeated in several slots fails in all of them", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_backend_keys_for_one_provider_and_Secret_are_a_warning()
    {
        var values = Specs.Gateway + """
            backends:
              openai: {resourceName: openai, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: keys, key: openai}}
              openai-again: {resourceName: openai-again, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: keys, key: openai}}
              openai-other-key: {resourceName: openai-other-key, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: keys, key: second}}
            models:
              m:
                backends:
                  a: {ref: openai}
                  b: {ref: openai-again, priority: 1}
                  c: {ref: openai-other-key, priority: 2}

            """;
        var twins = Warnings(Specs.Run(ModelRules.Check, values)).Where(w => w.Message.Contains("same provider", StringComparison.Ordinal)).ToList();
        var twin = Assert.Single(twins);
        Assert.Equal("backends.openai-again", twin.Path);
        Assert.Contains("backends openai and openai-again are the same provider (api.openai.com:443) with the same Secret keys (key openai)", twin.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backend_no_enabled_model_uses_is_a_warning()
    {
        var warning = Assert.Single(Warnings(Check(WithSlots("a: {ref: openai}", "b: {ref: openai, modelNameOverride: x, priority: 1}"), ModelsPolicy.Default with { MinBackendsPerModel = 1 })));
        Assert.Equal("backends.anthropic", warning.Path);
        Assert.Contains("backend anthropic is not used by any enabled model", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1d", "days are not a unit here; use 24h")]
    [InlineData("2d", "days are not a unit here; use 48h")]
    [InlineData("\"300\"", "a duration needs a unit; write 300s for seconds or 300m for minutes")]
    [InlineData("5 minutes", "write a duration like 30s")]
    [InlineData("1.5h", "write a duration like 30s")]
    public void A_timeout_is_a_Gateway_API_duration(string timeout, string fragment) =>
        Specs.SingleError(Check(WithModel($"    timeout: {timeout}\n    backends:\n      a: {{ref: openai}}\n      b: {{ref: anthropic, priority: 1}}\n")), "models.gpt-4o.timeout", fragment);

    [Theory]
    [InlineData("300s")]
    [InlineData("1h30m")]
    [InlineData("500ms")]
    public void Valid_timeouts_pass(string timeout) =>
        Specs.NoDiagnostics(Check(WithModel($"    timeout: {timeout}\n    backends:\n      a: {{ref: openai}}\n      b: {{ref: anthropic, priority: 1}}\n")));
}
