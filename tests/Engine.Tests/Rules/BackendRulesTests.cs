using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class BackendRulesTests
{
    private static string OpenAiWith(string replace, string with) =>
        Specs.Valid.Replace(replace, with, StringComparison.Ordinal);

    [Fact]
    public void Valid_backends_have_no_findings() => Specs.NoDiagnostics(Specs.Run(BackendRules.Check, Specs.Valid));

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Cohere")]
    [InlineData("AzureOpenAI")]
    [InlineData("Anthropic")]
    public void Every_API_key_schema_is_accepted(string schema) =>
        Specs.NoDiagnostics(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: " + schema)));

    [Theory]
    [InlineData("AWSBedrock")]
    [InlineData("GCPVertexAI")]
    [InlineData("GCPAnthropic")]
    [InlineData("AWSAnthropic")]
    public void Cloud_credential_schemas_cannot_use_an_API_key(string schema) =>
        Specs.SingleError(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: " + schema)), "backends.openai.schema", $"schema {schema} authenticates with cloud credentials");

    [Theory]
    [InlineData("openai", " (did you mean \"OpenAI\"?)")]
    [InlineData("Azure-OpenAI", " (did you mean \"AzureOpenAI\"?)")]
    [InlineData("Mistral", "")]
    public void Unknown_schemas_get_a_suggestion_when_one_is_close(string schema, string suggestion)
    {
        var error = Specs.SingleError(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: " + schema)), "backends.openai.schema", $"unknown schema \"{schema}\"{suggestion};");
        Assert.Contains("one of OpenAI, Cohere, AWSBedrock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_can_narrow_the_schemas()
    {
        var policy = ModelsPolicy.Default with { AllowedSchemas = ["OpenAI"] };
        Specs.SingleError(Specs.Run(BackendRules.Check, Specs.Valid, policy), "backends.anthropic.schema", "schema Anthropic is not allowed by the policy (allowed: OpenAI)");
    }

    [Theory]
    [InlineData("resourceName: openai", "resourceName: OpenAI", "backends.openai.resourceName", "is not a valid resource name")]
    [InlineData("resourceName: openai", "resourceName: openai.backend", "backends.openai.resourceName", "is not a valid resource name")]
    [InlineData("schema: OpenAI,", "schema: OpenAI, prefix: v1,", "backends.openai.prefix", "is not a URL path prefix")]
    [InlineData("schema: OpenAI,", "schema: OpenAI, prefix: /v1 beta,", "backends.openai.prefix", "is not a URL path prefix")]
    [InlineData("name: openai-credentials", "name: OpenAI_Credentials", "backends.openai.apiKeySecretRef.name", "is not a valid Secret name")]
    [InlineData("name: openai-credentials, key: apiKey", "name: openai-credentials, key: api/key", "backends.openai.apiKeySecretRef.key", "is not a valid Secret data key")]
    public void Field_formats_are_checked_at_their_paths(string replace, string with, string path, string fragment) =>
        Specs.SingleError(Specs.Run(BackendRules.Check, OpenAiWith(replace, with)), path, fragment);

    [Theory]
    [InlineData("prefix: /v1")]
    [InlineData("prefix: /openai/deployments")]
    [InlineData("apiKeySecretRef: {name: llm.keys, key: OPENAI_API_KEY.v2}")]
    public void Reasonable_values_pass(string field) =>
        Specs.NoDiagnostics(Specs.Run(BackendRules.Check, OpenAiWith("apiKeySecretRef: {name: openai-credentials, key: apiKey}", field.StartsWith("prefix", StringComparison.Ordinal) ? field + ", apiKeySecretRef: {name: openai-credentials, key: apiKey}" : field)));
}
