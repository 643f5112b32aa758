using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests;

public sealed class ValuesHashTests
{
    private static string Hash(string yaml) => ValuesHash.Compute(Specs.Parse(yaml));

    [Fact]
    public void The_hash_is_a_sha256_of_the_meaning() => Assert.Matches("^sha256:[0-9a-f]{64}$", Hash(Specs.Valid));

    [Fact]
    public void Key_order_comments_and_layout_do_not_change_it()
    {
        var reordered = """
            # the same values, written differently
            models:
              gpt-4o:
                backends:
                  fallback:
                    priority: 1       # the failover level
                    modelNameOverride: claude-sonnet-4-5
                    ref: anthropic
                  primary: {ref: openai}
            backends:
              anthropic: {apiKeySecretRef: {key: apiKey, name: anthropic-credentials}, fqdn: {port: 443, hostname: api.anthropic.com}, schema: Anthropic, resourceName: anthropic}
              openai:
                resourceName: openai
                schema: OpenAI
                fqdn: {hostname: api.openai.com, port: 443}
                apiKeySecretRef: {name: openai-credentials, key: apiKey}
            gatewayRef:
              name: ai-gateway
            """;
        Assert.Equal(Hash(Specs.Valid), Hash(reordered));
    }

    [Fact]
    public void Aliases_hash_like_the_written_out_values() =>
        Assert.Equal(Hash("a: {x: 1}\nb: {x: 1}\n"), Hash("a: &x {x: 1}\nb: *x\n"));

    [Fact]
    public void Quoting_a_plain_string_does_not_change_it_but_quoting_a_number_does()
    {
        Assert.Equal(Hash("a: 1\n"), Hash("a: 1 # one\n"));
        Assert.NotEqual(Hash("a: 1\n"), Hash("a: \"1\"\n"));
    }

    [Theory]
    [InlineData("port: 443", "port: 8443")]
    [InlineData("priority: 1", "priority: 2")]
    [InlineData("name: ai-gateway", "name: ai-gateway2")]
    [InlineData("primary: {ref: openai}", "primary: {ref: openai, enabled: true}")]
    public void A_change_of_value_changes_it(string from, string to) =>
        Assert.NotEqual(Hash(Specs.Valid), Hash(Specs.Valid.Edit(from, to)));

    [Fact]
    public void List_order_is_part_of_the_meaning() => Assert.NotEqual(Hash("a: [1, 2]\n"), Hash("a: [2, 1]\n"));

    [Fact]
    public void Keys_and_values_cannot_be_shifted_into_each_other() => Assert.NotEqual(Hash("ab: c\n"), Hash("a: bc\n"));

    [Fact]
    public void The_evaluator_reports_the_hash_even_for_invalid_values()
    {
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", Specs.Valid.Edit("port: 443", "port: 0")));
        Assert.False(evaluation.IsValid);
        Assert.StartsWith("sha256:", evaluation.ValuesHash, StringComparison.Ordinal);
        Assert.Equal(ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", Specs.Valid)).ValuesHash, Hash(Specs.Valid));
    }
}
