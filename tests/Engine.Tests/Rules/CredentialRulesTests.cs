using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class CredentialRulesTests
{
    private const string OpenAiKey = "sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA";
    private const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
    private const string HexKey = "9f86d081884c7d659a2feaa0c55ad015";

    [Fact]
    public void Valid_values_hold_no_credentials() => Assert.Empty(CredentialRules.Check(Specs.Parse(Specs.Valid)));

    [Fact]
    public void Credential_shaped_values_are_found_under_any_key_and_in_lists()
    {
        var root = Specs.Parse($"""
            a: {OpenAiKey}
            b:
              c: [x, {AwsKey}]
            d: {HexKey}
            e: not-a-secret
            """);
        var findings = CredentialRules.Check(root).ToList();
        Assert.Equal(["a", "b.c[1]", "d"], findings.Select(d => d.Path));
        Assert.All(findings, d => Assert.Contains("this value looks like a literal credential (withheld)", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Credential_shaped_keys_are_found_and_withheld_from_the_path()
    {
        var finding = Assert.Single(CredentialRules.Check(Specs.Parse($"backends:\n  {OpenAiKey}: x\n")));
        Assert.Equal("backends" + FieldPath.WithheldKey, finding.Path);
        Assert.Contains("this key looks like a literal credential", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_named_keys_with_harmless_values_are_left_to_the_binder() =>
        Assert.Empty(CredentialRules.Check(Specs.Parse("apiKey: changeme\ntoken: abc\n")));

    [Fact]
    public void Redact_cuts_every_credential_of_the_tree_out_of_messages_in_any_case()
    {
        var root = Specs.Parse($"models:\n  {HexKey}: {{modelMatch: {AwsKey}}}\n");
        IReadOnlyList<Diagnostic> diagnostics =
        [
            Diagnostic.Error("a", $"model {HexKey} has 1 backend"),
            Diagnostic.Warning("b", $"hint: use {AwsKey.ToLowerInvariant()}"),
            Diagnostic.Error("c", "nothing secret here"),
        ];
        var redacted = CredentialRules.Redact(diagnostics, root);
        Assert.Equal(["model <withheld> has 1 backend", "hint: use <withheld>", "nothing secret here"], redacted.Select(d => d.Message));
        Assert.Equal(diagnostics.Select(d => (d.Severity, d.Path)), redacted.Select(d => (d.Severity, d.Path)));
        Assert.Same(diagnostics[2], redacted[2]);
    }

    [Fact]
    public void Redact_leaves_messages_alone_when_the_tree_holds_no_credentials()
    {
        IReadOnlyList<Diagnostic> diagnostics = [Diagnostic.Error("a", "mentions api.openai.com and gpt-4o-mini-2024-07-18")];
        Assert.Same(diagnostics, CredentialRules.Redact(diagnostics, Specs.Parse(Specs.Valid)));
    }

    [Fact]
    public void The_evaluator_never_repeats_a_credential_whichever_rule_quotes_it()
    {
        // The key is a valid DNS label, so name rules accept it and model rules quote it ("model … has 1 enabled backend(s)").
        var values = Specs.Valid + $"  {HexKey}:\n    backends:\n      a: {{ref: openai}}\n";
        var evaluation = ValuesEvaluator.Evaluate(new Input.ValuesDocument("default", "models", values));
        Assert.False(evaluation.IsValid);
        Assert.Contains(evaluation.Errors, d => d.Message.Contains("has 1 enabled backend(s)", StringComparison.Ordinal));
        Assert.All(evaluation.Diagnostics, d =>
        {
            Assert.DoesNotContain(HexKey, d.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(HexKey, d.Path, StringComparison.OrdinalIgnoreCase);
        });
    }
}
