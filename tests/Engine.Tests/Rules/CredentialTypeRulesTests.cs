using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class CredentialTypeRulesTests
{
    public const string ApiKey = "apiKeySecretRef: {name: s, key: apiKey}";
    public const string Aws = "awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: s}}}";
    public const string AwsDefaultChain = "awsCredentials: {region: us-east-1}";
    public const string Azure = "azureCredentials: {clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90, tenantID: 72f988bf-86f1-41af-91ab-2d7cd011db47, clientSecretRef: {name: s}}";
    public const string Gcp = "gcpCredentials: {projectName: team-a-ml, region: us-central1, credentialsFile: {secretRef: {name: s}}}";
    public const string GcpDefault = "gcpCredentials: {projectName: team-a-ml, region: us-central1}";

    private static readonly Dictionary<string, string> Blocks = new() { ["apiKey"] = ApiKey, ["aws"] = Aws, ["azure"] = Azure, ["gcp"] = Gcp };

    public static string Backend(string schema, string credentials, string host = "llm.example.com") =>
        Specs.Gateway + $"backends:\n  b: {{resourceName: b, schema: {schema}, fqdn: {{hostname: {host}, port: 443}}, {credentials}}}\n";

    [Theory]
    [InlineData("OpenAI", "apiKey")]
    [InlineData("Cohere", "apiKey")]
    [InlineData("Anthropic", "apiKey")]
    [InlineData("AzureOpenAI", "apiKey azure")]
    [InlineData("AWSBedrock", "aws")]
    [InlineData("AWSAnthropic", "aws")]
    [InlineData("GCPVertexAI", "gcp")]
    [InlineData("GCPAnthropic", "gcp")]
    public void Each_schema_takes_exactly_the_credentials_its_provider_authenticates_with(string schema, string fits)
    {
        foreach (var (block, yaml) in Blocks)
        {
            var found = Specs.Run(CredentialTypeRules.Check, Backend(schema, yaml));
            if (fits.Split(' ').Contains(block))
            {
                Specs.NoDiagnostics(found);
            }
            else
            {
                // the mismatch names the schema, the block that does not fit, and what does
                var error = Specs.SingleError(found, "backends.b." + Key(yaml), $"schema {schema} does not authenticate with");
                Assert.Contains($"schema {schema} authenticates with ", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_schema_of_AIServiceBackend_has_its_credentials_and_every_policy_type_is_the_CRDs()
    {
        Assert.All(BackendRules.Schemas, s => Assert.NotNull(CredentialTypes.Accepted(s)));
        var crd = YamlJson.ReadObjectsFromFile(Path.Combine(RepoPaths.CrdsDir, "aigateway.envoyproxy.io_backendsecuritypolicies.yaml")).Single();
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            var type = version!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["type"]!;
            Assert.Equal(type["enum"]!.AsArray().Select(e => (string)e!).Order(StringComparer.Ordinal), CredentialTypes.All.Order(StringComparer.Ordinal));
        }

        // and the type each block becomes is a key of the CRD's spec (apiKey, awsCredentials, …), set exactly once
        var spec = crd["spec"]!["versions"]!.AsArray().Single(v => (string)v!["name"]! == "v1beta1")!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!.AsObject();
        foreach (var block in CredentialTypes.Blocks.Where(b => b != CredentialBlock.ApiKey))
        {
            Assert.True(spec.ContainsKey(CredentialTypes.ValuesKey(block)), CredentialTypes.ValuesKey(block));
        }
    }

    [Theory]
    [InlineData("AWSBedrock", "awsCredentials", "required field awsCredentials is missing; schema AWSBedrock authenticates with AWS credentials")]
    [InlineData("GCPAnthropic", "gcpCredentials", "required field gcpCredentials is missing; schema GCPAnthropic authenticates with GCP credentials")]
    [InlineData("AzureOpenAI", "apiKeySecretRef", "required field apiKeySecretRef is missing; reference the Secret that holds the API key: apiKeySecretRef: {name: <secret>, key: apiKey} (or azureCredentials:")]
    [InlineData("OpenAI", "apiKeySecretRef", "required field apiKeySecretRef is missing")]
    public void Missing_credentials_are_named_by_the_schema(string schema, string key, string message) =>
        Specs.SingleError(Specs.Run(CredentialTypeRules.Check, Specs.Gateway + $"backends:\n  b: {{resourceName: b, schema: {schema}, fqdn: {{hostname: llm.example.com, port: 443}}}}\n"), "backends.b." + key, message);

    [Fact]
    public void A_second_block_that_fits_is_both_set_and_one_that_does_not_fit_is_a_mismatch()
    {
        var found = Specs.Run(CredentialTypeRules.Check, Backend("AzureOpenAI", $"{ApiKey}, {Azure}, {Aws}"));
        Assert.Equal(["backends.b.awsCredentials", "backends.b.azureCredentials"], found.Select(d => d.Path));
        Assert.StartsWith("schema AzureOpenAI does not authenticate with AWS credentials", found[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("azureCredentials and apiKeySecretRef are both set", found[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], new[] { "APIKey" }, ApiKey, "OpenAI", "credential type APIKey is not allowed by the policy (allowed: AnthropicAPIKey, AzureAPIKey, AWSCredentials, AzureCredentials, GCPCredentials)")]
    [InlineData(new[] { "AWSCredentials" }, new string[0], Azure, "AzureOpenAI", "credential type AzureCredentials is not allowed by the policy (allowed: AWSCredentials)")]
    [InlineData(new[] { "AzureAPIKey" }, new[] { "AzureAPIKey" }, ApiKey, "AzureOpenAI", "(allowed: none)")]
    [InlineData(new[] { "APIKey" }, new string[0], ApiKey, "Anthropic", "credential type AnthropicAPIKey is not allowed")]
    public void The_policy_allows_and_denies_credential_types(string[] allowed, string[] denied, string credentials, string schema, string fragment)
    {
        var policy = ModelsPolicy.Default with { AllowedCredentialTypes = allowed, DeniedCredentialTypes = denied };
        Specs.SingleError(Specs.Run(CredentialTypeRules.Check, Backend(schema, credentials), policy), "backends.b." + Key(credentials), fragment);
    }

    [Theory]
    [InlineData("OpenAI", ApiKey, "backends.b.apiKeySecretRef", "AI Gateway has no keyless form of APIKey")]
    [InlineData("AzureOpenAI", Azure, "backends.b.azureCredentials.clientSecretRef", "AI Gateway has no keyless form of AzureCredentials")]
    [InlineData("AWSBedrock", Aws, "backends.b.awsCredentials.credentialsFile.secretRef", "use awsCredentials with region only")]
    [InlineData("GCPVertexAI", Gcp, "backends.b.gcpCredentials.credentialsFile.secretRef", "use gcpCredentials with projectName and region only")]
    [InlineData("AWSBedrock", "awsCredentials: {region: us-east-1, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: s}}, awsRoleArn: 'arn:aws:iam::123456789012:role/r'}}", "backends.b.awsCredentials.oidcExchangeToken.oidc.clientSecret", "names a Secret")]
    public void Requiring_keyless_credentials_refuses_every_variant_that_names_a_Secret(string schema, string credentials, string path, string fragment)
    {
        var policy = ModelsPolicy.Default with { RequireKeylessCredentials = true, GatewayIdentityNamespaces = ["*"] };
        var error = Specs.SingleError(Specs.Run(CredentialTypeRules.Check, Backend(schema, credentials), policy), path, "the policy requires keyless credentials");
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWSBedrock", AwsDefaultChain)]
    [InlineData("GCPVertexAI", GcpDefault)]
    public void The_gateways_own_identity_needs_a_grant_for_the_namespace(string schema, string credentials)
    {
        var values = Backend(schema, credentials);
        var error = Specs.SingleError(Specs.Run(CredentialTypeRules.Check, values, ns: "team-a"), "backends.b." + Key(credentials), "which the policy grants to no values in namespace team-a");
        Assert.Contains("credentials.gatewayIdentityNamespaces", error.Message, StringComparison.Ordinal);
        Specs.SingleError(Specs.Run(CredentialTypeRules.Check, values, ModelsPolicy.Default with { GatewayIdentityNamespaces = ["team-b", "ml-*"] }, ns: "team-a"), "backends.b." + Key(credentials), "namespace team-a");

        foreach (var grant in (string[])["team-a", "team-*", "*"])
        {
            Specs.NoDiagnostics(Specs.Run(CredentialTypeRules.Check, values, ModelsPolicy.Default with { GatewayIdentityNamespaces = [grant] }, ns: "team-a"));
        }

        // keyless and granted: the combination the policy is for
        Specs.NoDiagnostics(Specs.Run(CredentialTypeRules.Check, values, ModelsPolicy.Default with { GatewayIdentityNamespaces = ["team-a"], RequireKeylessCredentials = true }, ns: "team-a"));
    }

    [Fact]
    public void Credentials_that_bring_their_own_identity_need_no_grant()
    {
        foreach (var (schema, credentials) in (ReadOnlySpan<(string, string)>)[("AWSBedrock", Aws), ("GCPVertexAI", Gcp), ("AzureOpenAI", Azure), ("OpenAI", ApiKey)])
        {
            Specs.NoDiagnostics(Specs.Run(CredentialTypeRules.Check, Backend(schema, credentials), ns: "team-a"));
        }
    }

    [Fact]
    public void Every_Secret_reference_of_a_backend_is_enumerated()
    {
        // every credential block with every variant: the binder takes them all (only the rules object), so the walk below
        // sees each SecretRefSpec the spec can hold; BackendSecrets.Of must name each one, with a distinct purpose per block
        var all = Backend("AzureOpenAI", string.Join(", ",
            ApiKey,
            "awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: a}}, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: b}}, awsRoleArn: x}}",
            "azureCredentials: {clientID: x, tenantID: y, clientSecretRef: {name: c}, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: d}}}}",
            "gcpCredentials: {projectName: p, region: r, credentialsFile: {secretRef: {name: e}}, workloadIdentityFederationConfig: {projectID: '1', workloadIdentityPoolName: p, workloadIdentityProviderName: q, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: f}}}}}"));
        var backend = Specs.Bind(all).Backends.Single();
        var reachable = new List<SecretRefSpec>();
        Walk(backend, reachable);
        Assert.Equal(7, reachable.Count);
        Assert.Equal(reachable.Select(r => r.Path).Order(StringComparer.Ordinal), BackendSecrets.Of(backend).Select(r => r.Ref.Path).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ApiKey", "AwsCredentialsFile", "OidcClientSecret", "AzureClientSecret", "OidcClientSecret", "GcpServiceAccountKey", "OidcClientSecret"],
            BackendSecrets.Of(backend).Select(r => r.Purpose.Name));
    }

    private static void Walk(object? node, List<SecretRefSpec> found)
    {
        switch (node)
        {
            case null or string:
                return;
            case SecretRefSpec s:
                found.Add(s);
                return;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    Walk(item, found);
                }

                return;
        }

        if (node.GetType().Namespace == typeof(ValuesSpec).Namespace)
        {
            foreach (var property in node.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
            {
                Walk(property.GetValue(node), found);
            }
        }
    }

    private static string Key(string credentials) => credentials[..credentials.IndexOf(':', StringComparison.Ordinal)];
}
