using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>What the credentials become: the policy's type, name and Secret names, the projected Secrets, and what an older API cannot say.</summary>
public sealed class SecurityPolicyRenderingTests
{
    private static readonly ModelsPolicy GatewayIdentityForAll = ModelsPolicy.Default with { GatewayIdentityNamespaces = ["*"] };

    private static ValidatedModel Model(string backends, ModelsPolicy? policy = null)
    {
        var values = "gatewayRef: {name: gw}\nbackends:\n" + backends + "models:\n  m:\n    backends:\n      a: {ref: a}\n      b: {ref: b, priority: 1}\n";
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("team-a", "models", values), policy ?? GatewayIdentityForAll);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
        return evaluation.Model!;
    }

    private const string GcpDefault = "  a: {resourceName: a, schema: GCPVertexAI, fqdn: {hostname: us-central1-aiplatform.googleapis.com, port: 443}, gcpCredentials: {projectName: team-a-ml, region: us-central1}}\n";
    private const string GcpFile = "  b: {resourceName: b, schema: GCPVertexAI, fqdn: {hostname: us-central1-aiplatform.googleapis.com, port: 443}, gcpCredentials: {projectName: team-a-ml, region: us-central1, credentialsFile: {secretRef: {name: sa, key: key.json}}}}\n";

    [Fact]
    public void Application_default_credentials_are_left_out_where_the_cluster_serves_only_v1alpha1_and_said_why()
    {
        var model = Model(GcpDefault + GcpFile);
        var v1alpha1 = Renderer.Render(model, new RenderOptions(ApiVersionSelection.From(["aigateway.envoyproxy.io/v1alpha1"], unmentionedAreServed: true)));
        var policies = v1alpha1.Objects.Where(o => o.Kind == ResourceKind.BackendSecurityPolicy).ToList();
        Assert.Equal(["b-credentials"], policies.Select(p => p.Name));
        Assert.Equal("aigateway.envoyproxy.io/v1alpha1", policies[0].ApiVersion);
        var omitted = Assert.Single(v1alpha1.Omitted);
        Assert.Equal("no BackendSecurityPolicy a-credentials for backend a: application default credentials need BackendSecurityPolicy v1beta1 (AI Gateway v0.6 or later), and the cluster serves aigateway.envoyproxy.io/v1alpha1", omitted);
        Assert.Empty(CrdCatalog.Default.Validate(policies[0].Manifest));

        // the same in v1beta1: both, and v1alpha1 would have refused the one left out (its CEL rule wants exactly one of file and federation)
        var v1beta1 = Renderer.Render(model);
        Assert.Empty(v1beta1.Omitted);
        var adc = v1beta1.Objects.Single(o => o.Name == "a-credentials").Manifest;
        Assert.Empty(CrdCatalog.Default.Validate(adc));
        var asV1alpha1 = (JsonObject)adc.DeepClone();
        asV1alpha1["apiVersion"] = "aigateway.envoyproxy.io/v1alpha1";
        Assert.NotEmpty(CrdCatalog.Default.Validate(asV1alpha1));
    }

    [Fact]
    public void A_projected_Secret_holds_the_value_under_the_key_AI_Gateway_reads_for_its_purpose()
    {
        var model = Model(GcpFile.Edit("  b:", "  a:").Edit("resourceName: b", "resourceName: a") + GcpFile);
        var projection = model.Projections.First();
        Assert.Equal(("a-gcp-service-account", "sa", "key.json", SecretPurpose.GcpServiceAccountKey), (projection.ProjectedName, projection.Name, projection.Key, projection.Purpose));
        var secret = Renderer.ProjectedSecret(model, projection, "e30=", RenderOptions.Default);
        Assert.Equal("""{"service_account.json":"e30="}""", secret["data"]!.ToJsonString());
        Assert.Equal("a-gcp-service-account", (string)secret["metadata"]!["name"]!);
        Assert.Empty(CrdCatalog.Default.Validate(secret));

        // a reference AI Gateway reads as it is has nothing to project
        var direct = new SecretReference("a", "backends.a.apiKeySecretRef", SecretPurpose.ApiKey, "s", "apiKey");
        Assert.Throws<ArgumentException>(() => Renderer.ProjectedSecret(model, direct, "e30=", RenderOptions.Default));
    }

    [Theory]
    [InlineData("awsCredentials: {region: us-east-1, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: s}}, awsRoleArn: 'arn:aws:iam::123456789012:role/r'}}", "AWSBedrock", "awsCredentials")]
    [InlineData("azureCredentials: {clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90, tenantID: contoso.com, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: s}}}}", "AzureOpenAI", "azureCredentials")]
    public void An_OIDC_client_secret_names_its_namespace_because_AI_Gateway_refuses_one_without(string credentials, string schema, string field)
    {
        var backend = $"  {{0}}: {{{{resourceName: {{0}}, schema: {schema}, schemaVersion: v1, fqdn: {{{{hostname: llm.example.com, port: 443}}}}, {credentials.ReplaceAll("{", "{{").ReplaceAll("}", "}}")}}}}}\n";
        var model = Model(string.Format(System.Globalization.CultureInfo.InvariantCulture, backend, "a") + string.Format(System.Globalization.CultureInfo.InvariantCulture, backend, "b"));
        var policy = Renderer.Render(model).Objects.First(o => o.Kind == ResourceKind.BackendSecurityPolicy);
        Assert.Equal("a-credentials", policy.Name);
        Assert.Equal("""{"name":"s","namespace":"team-a"}""", policy.Manifest["spec"]![field]!["oidcExchangeToken"]!["oidc"]!["clientSecret"]!.ToJsonString());
    }
}
