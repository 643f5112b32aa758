using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class BackendRulesTests
{
    private static string OpenAiWith(string replace, string with) =>
        Specs.Valid.Edit(replace, with);

    [Fact]
    public void Valid_backends_have_no_findings() => Specs.NoDiagnostics(Specs.Run(BackendRules.Check, Specs.Valid));

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Cohere")]
    [InlineData("AzureOpenAI")]
    [InlineData("Anthropic")]
    [InlineData("AWSBedrock")]
    [InlineData("GCPVertexAI")]
    [InlineData("GCPAnthropic")]
    [InlineData("AWSAnthropic")]
    public void Every_schema_is_accepted(string schema) =>
        Specs.NoErrors(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: " + schema)));

    [Fact]
    public void AzureOpenAI_without_a_schema_version_is_warned_about_because_Azure_refuses_an_empty_api_version()
    {
        var found = Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: AzureOpenAI"));
        var warning = Assert.Single(found);
        Assert.False(warning.IsError);
        Assert.Equal("backends.openai.schemaVersion", warning.Path);
        Assert.Contains("empty api-version", warning.Message, StringComparison.Ordinal);
        Specs.NoDiagnostics(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", "schema: AzureOpenAI, schemaVersion: 2024-10-21")));
    }

    [Theory]
    [InlineData("AzureOpenAI", "2025-01-01-preview")]
    [InlineData("GCPAnthropic", "vertex-2023-10-16")]
    [InlineData("AWSAnthropic", "bedrock-2023-05-31")]
    [InlineData("Cohere", "v2")]
    public void A_schema_version_is_taken_where_AI_Gateway_uses_it(string schema, string version) =>
        Specs.NoDiagnostics(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", $"schema: {schema}, schemaVersion: \"{version}\"")));

    [Theory]
    [InlineData("OpenAI", "; to change the request path, set prefix")]
    [InlineData("Anthropic", "; to change the request path, set prefix")]
    [InlineData("AWSBedrock", "")]
    [InlineData("GCPVertexAI", "")]
    public void A_schema_version_that_AI_Gateway_ignores_is_warned_about(string schema, string hint)
    {
        var warning = Assert.Single(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", $"schema: {schema}, schemaVersion: v1")));
        Assert.Equal(("backends.openai.schemaVersion", false), (warning.Path, warning.IsError));
        Assert.Equal($"AI Gateway ignores schemaVersion for schema {schema}{hint}", warning.Message);
    }

    [Theory]
    [InlineData("2024-10-21&api-key=x")]
    [InlineData("openai/v1")]
    [InlineData("v2/../admin")]
    [InlineData("2024-10-21 ")]
    [InlineData("-v1")]
    [InlineData("2024-10-21\\n")]
    public void A_schema_version_that_could_reshape_a_request_URL_is_refused(string version) =>
        Specs.SingleError(Specs.Run(BackendRules.Check, OpenAiWith("schema: OpenAI", $"schema: AzureOpenAI, schemaVersion: \"{version}\"")), "backends.openai.schemaVersion", "is not a schema version");

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
    [InlineData("awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: AWS_Creds}}}", "backends.openai.awsCredentials.credentialsFile.secretRef.name", "is not a valid Secret name")]
    [InlineData("awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: aws, key: a/b}}}", "backends.openai.awsCredentials.credentialsFile.secretRef.key", "is not a valid Secret data key")]
    [InlineData("azureCredentials: {clientID: x, tenantID: y, clientSecretRef: {name: Azure}}", "backends.openai.azureCredentials.clientSecretRef.name", "is not a valid Secret name")]
    [InlineData("gcpCredentials: {projectName: p, region: r, credentialsFile: {secretRef: {name: gcp, key: \"..\"}}}", "backends.openai.gcpCredentials.credentialsFile.secretRef.key", "is not a valid Secret data key")]
    [InlineData("gcpCredentials: {projectName: p, region: r, workloadIdentityFederationConfig: {projectID: '1', workloadIdentityPoolName: p, workloadIdentityProviderName: q, oidcExchangeToken: {oidc: {provider: {issuer: https://i}, clientID: c, clientSecret: {name: 'a b'}}}}}", "backends.openai.gcpCredentials.workloadIdentityFederationConfig.oidcExchangeToken.oidc.clientSecret.name", "is not a valid Secret name")]
    public void Every_Secret_reference_of_cloud_credentials_is_checked_like_apiKeySecretRef(string credentials, string path, string fragment) =>
        Specs.SingleError(Specs.Run(BackendRules.Check, OpenAiWith("apiKeySecretRef: {name: openai-credentials, key: apiKey}", credentials)), path, fragment);

    [Theory]
    [InlineData("prefix: /v1")]
    [InlineData("prefix: /openai/deployments")]
    [InlineData("apiKeySecretRef: {name: llm.keys, key: OPENAI_API_KEY.v2}")]
    public void Reasonable_values_pass(string field) =>
        Specs.NoDiagnostics(Specs.Run(BackendRules.Check, OpenAiWith("apiKeySecretRef: {name: openai-credentials, key: apiKey}", field.StartsWith("prefix", StringComparison.Ordinal) ? field + ", apiKeySecretRef: {name: openai-credentials, key: apiKey}" : field)));
}
