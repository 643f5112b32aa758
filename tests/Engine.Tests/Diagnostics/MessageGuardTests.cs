using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Diagnostics;

/// <summary>Every finding passes one gate when it is made: whatever wrote its text, no credential or invisible character survives.</summary>
public sealed class MessageGuardTests
{
    [Fact]
    public void A_finding_withholds_credentials_that_a_rule_or_library_quoted_raw()
    {
        var d = Diagnostic.Error("backends.x", "While parsing a node, found tag !sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA near *AKIAIOSFODNN7EXAMPLE");
        Assert.DoesNotContain("Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", d.Message, StringComparison.Ordinal);
        Assert.Contains("While parsing a node, found tag !<withheld> near *<withheld>", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_path_passes_the_same_gate()
    {
        var d = Diagnostic.Warning("data.sk-1234abcd", "ignored");
        Assert.Equal("data.<withheld>", d.Path);
    }

    [Fact]
    public void A_with_expression_cannot_bring_a_credential_back()
    {
        var d = Diagnostic.Error("a", "fine") with { Message = "Bearer abc12345xyz" };
        Assert.Equal("<withheld>", d.Message);
    }

    [Theory]
    [InlineData("through the alias *AKIAIOSFODNN7EXAMPLE at line 3")]
    [InlineData("near *AKIAIOSFODNN7EXAMPLE at line 3")]
    [InlineData("alias *AKIAIOSFODNN7EXAMPLE")]
    [InlineData("through the alias *sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA at line 3")]
    public void The_origin_passes_the_same_gate(string origin)
    {
        var d = Diagnostic.Error("a", "fine") with { Origin = origin };
        Assert.Contains("*<withheld>", d.Origin, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", d.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_on_a_merged_value_names_lines_and_never_the_anchor()
    {
        // An anchor named like a credential, merged into a backend whose merged schema is wrong: the schema's finding
        // says where the value came from (issue 13) by line only, and no finding repeats the anchor's name.
        const string Anchor = "AKIAIOSFODNN7EXAMPLE";
        var values = $$"""
            gatewayRef: {name: ai-gateway}
            x-defaults: &{{Anchor}}
              schema: NotASchema
            backends:
              openai:
                <<: *{{Anchor}}
                resourceName: openai
                fqdn: {hostname: api.openai.com, port: 443}
                apiKeySecretRef: {name: openai-credentials, key: apiKey}
            models:
              gpt-4o:
                backends:
                  primary: {ref: openai}
                  fallback: {ref: openai, priority: 1}

            """;
        var evaluation = ValuesEvaluator.Evaluate(new Input.ValuesDocument("default", "models", values));
        Assert.Contains(evaluation.Errors, d => d.Path == "backends.openai.schema" && d.Origin == "merged by the << at line 6 from the mapping at line 2");
        Assert.All(evaluation.Diagnostics, d => Assert.DoesNotContain(Anchor, d.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("bidi \u202eoverride", "bidi \\u202eoverride")]
    [InlineData("isolate \u2066x\u2069", "isolate \\u2066x\\u2069")]
    [InlineData("zero\u200bwidth", "zero\\u200bwidth")]
    [InlineData("bom\ufeff", "bom\\ufeff")]
    [InlineData("c1 \u0085\u009b31m", "c1 \\u0085\\u009b31m")]
    [InlineData("nbsp\u00a0x", "nbsp\\u00a0x")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("esc \u001b[31m", "esc \\u001b[31m")]
    [InlineData("emoji 🙂 and ünïcödé stay", "emoji 🙂 and ünïcödé stay")]
    public void Invisible_and_control_characters_are_escaped(string message, string expected) =>
        Assert.Equal(expected, Diagnostic.Error(string.Empty, message).Message);

    [Fact]
    public void A_lone_surrogate_is_escaped_and_a_pair_is_kept()
    {
        Assert.Equal("x\\ud800y", Diagnostic.Error(string.Empty, "x\ud800y").Message);
        Assert.Equal("x\ud83d\ude42y", Diagnostic.Error(string.Empty, "x\ud83d\ude42y").Message);
    }

    [Fact]
    public void A_message_is_bounded()
    {
        var d = Diagnostic.Error(string.Empty, new string('x', 100_000));
        Assert.True(d.Message.Length <= MessageGuard.MaxLength + 10, d.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
