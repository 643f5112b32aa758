using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;
using static AiGatewayModels.Engine.Tests.Rules.CredentialTypeRulesTests;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class CloudCredentialRulesTests
{
    private const string Exchange = "oidcExchangeToken: {oidc: {provider: {issuer: ISSUER}, clientID: CLIENT, clientSecret: {name: s}, scopes: [SCOPE]}, aud: AUD";

    [Theory]
    [InlineData("bedrock-runtime.us-east-1.amazonaws.com", "AWSBedrock")]
    [InlineData("bedrock-runtime-fips.us-gov-west-1.amazonaws.com", "AWSBedrock")]
    [InlineData("bedrock-runtime.cn-north-1.amazonaws.com.cn", "AWSAnthropic")]
    [InlineData("us-central1-aiplatform.googleapis.com", "GCPVertexAI")]
    [InlineData("aiplatform.googleapis.com", "GCPAnthropic")]
    [InlineData("team-a.openai.azure.com", "AzureOpenAI")]
    public void Cloud_endpoints_pass_the_default_hostname_rules(string host, string schema) =>
        Specs.NoErrors(Specs.Run(HostnameRules.Check, Backend(schema, ApiKey, host)));

    [Theory]
    [InlineData("bedrock-runtime.us-west-2.amazonaws.com", "us-east-1", "is the Bedrock endpoint of us-west-2, but awsCredentials.region is us-east-1, and AI Gateway signs requests for us-east-1; use bedrock-runtime.us-east-1.amazonaws.com, or region us-west-2")]
    [InlineData("bedrock-runtime-fips.us-east-2.amazonaws.com", "us-east-1", "is the Bedrock endpoint of us-east-2")]
    [InlineData("bedrock-runtime.cn-northwest-1.amazonaws.com.cn", "cn-north-1", "is the Bedrock endpoint of cn-northwest-1")]
    public void A_Bedrock_host_in_another_region_is_a_warning(string host, string region, string fragment)
    {
        var warning = Assert.Single(Specs.Run(CloudCredentialRules.Check, Backend("AWSBedrock", $"awsCredentials: {{region: {region}}}", host)));
        Assert.Equal(("backends.b.fqdn.hostname", false), (warning.Path, warning.IsError));
        Assert.Contains(fragment, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-central1-aiplatform.googleapis.com", "europe-west4", "is the Vertex AI endpoint of us-central1, but gcpCredentials.region is europe-west4, which AI Gateway puts into the request path", "use europe-west4-aiplatform.googleapis.com, or region us-central1")]
    [InlineData("aiplatform.googleapis.com", "us-east5", "is the Vertex AI endpoint of global, but gcpCredentials.region is us-east5", "use us-east5-aiplatform.googleapis.com, or region global")]
    [InlineData("us-east5-aiplatform.googleapis.com", "global", "is the Vertex AI endpoint of us-east5, but gcpCredentials.region is global", "use aiplatform.googleapis.com, or region us-east5")]
    public void A_Vertex_host_in_another_region_is_a_warning(string host, string region, string what, string fix)
    {
        var warning = Assert.Single(Specs.Run(CloudCredentialRules.Check, Backend("GCPVertexAI", $"gcpCredentials: {{projectName: team-a-ml, region: {region}}}", host)));
        Assert.Equal(("backends.b.fqdn.hostname", false), (warning.Path, warning.IsError));
        Assert.Contains(what, warning.Message, StringComparison.Ordinal);
        Assert.EndsWith(fix, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWSBedrock", "awsCredentials: {region: us-east-1}", "bedrock-runtime.us-east-1.amazonaws.com")]
    [InlineData("AWSBedrock", "awsCredentials: {region: us-east-1}", "bedrock.llm-proxy.example.com")]
    [InlineData("AWSBedrock", "awsCredentials: {region: us-east-1}", "vpce-0a1b2c3d-bedrock-runtime.us-west-2.vpce.amazonaws.com")]
    [InlineData("GCPVertexAI", "gcpCredentials: {projectName: team-a-ml, region: us-central1}", "us-central1-aiplatform.googleapis.com")]
    [InlineData("GCPVertexAI", "gcpCredentials: {projectName: team-a-ml, region: global}", "aiplatform.googleapis.com")]
    [InlineData("GCPVertexAI", "gcpCredentials: {projectName: team-a-ml, region: us}", "vertex.internal-proxy.example.com")]
    public void Matching_hosts_and_hosts_that_name_no_region_are_not_warned_about(string schema, string credentials, string host) =>
        Specs.NoDiagnostics(Specs.Run(CloudCredentialRules.Check, Backend(schema, credentials, host)));

    [Theory]
    [InlineData("awsCredentials: {region: 'X'}", "us-east-1|eu-central-2|us-gov-west-1|cn-north-1|ap-southeast-7|us-isob-east-1", "us-east|US-EAST-1|useast1|us-east-1a|global|us-east-1 ")]
    [InlineData("gcpCredentials: {projectName: team-a-ml, region: 'X'}", "us-central1|europe-west4|northamerica-northeast1|me-central2|global|us|eu", "us-central|us-central1-a|US-CENTRAL1|europe_west4|asia")]
    [InlineData("gcpCredentials: {projectName: 'X', region: us-central1}", "team-a-ml|my-project-123|123456789012", "My_Project|abc|-project|project-|a-very-long-project-id-that-is-over-30|team a")]
    [InlineData("azureCredentials: {clientID: 'X', tenantID: contoso.onmicrosoft.com, clientSecretRef: {name: s}}", "0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90|0F3C5A2E-7B1D-4C8E-9A6F-2D4B8E1C7A90", "my-app|0f3c5a2e7b1d4c8e9a6f2d4b8e1c7a90|{0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90}")]
    [InlineData("azureCredentials: {clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90, tenantID: 'X', clientSecretRef: {name: s}}", "72f988bf-86f1-41af-91ab-2d7cd011db47|contoso.onmicrosoft.com|contoso.com", "contoso|common|not_a_tenant|Contoso.com")]
    [InlineData("awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: s}, profile: 'X'}}", "default|bedrock|prod-eu|team.a", "a b|a[b]|")]
    [InlineData("awsCredentials: {region: us-east-1, oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: s}}, awsRoleArn: 'X'}}", "arn:aws:iam::123456789012:role/r|arn:aws:iam::123456789012:role/path/to/r|arn:aws-us-gov:iam::123456789012:role/r|arn:aws-cn:iam::123456789012:role/r", "arn:aws:iam::123456789012:user/r|arn:aws:iam::1234:role/r|arn:aws:sts::123456789012:role/r|role/r|arn:aws:iam::123456789012:role/")]
    public void Identifiers_are_checked_for_shape(string template, string valid, string invalid)
    {
        foreach (var value in valid.Split('|'))
        {
            Specs.NoErrors(Specs.Run(CloudCredentialRules.Check, Backend("AWSBedrock", template.Edit("'X'", $"'{value}'"))));
        }

        foreach (var value in invalid.Split('|'))
        {
            var errors = Specs.Run(CloudCredentialRules.Check, Backend("AWSBedrock", template.Edit("'X'", $"'{value}'"))).Where(d => d.IsError).ToList();
            Assert.True(errors.Count == 1, $"{value}: expected one error, got:\n{Specs.Describe(errors)}");
            Assert.Contains("is not a", errors[0].Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://login.example.com/realms/ai", null)]
    [InlineData("https://login.example.com:8443/", null)]
    [InlineData("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", null)]
    [InlineData("http://login.example.com", "is not an https URL")]
    [InlineData("login.example.com", "is not an https URL")]
    [InlineData("https://login.example.com/#frag", "is not an https URL")]
    [InlineData("https://169.254.169.254/", "is an IP address")]
    [InlineData("https://127.1/", "is an IP address")]
    [InlineData("https://0x7f000001/", "is an IP address")]
    [InlineData("https://[fd00:ec2::254]/", "is an IP address")]
    [InlineData("https://localhost/", "is denied by the policy")]
    [InlineData("https://keycloak.identity.svc/", "is denied by the policy")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/", "is denied by the policy")]
    [InlineData("https://admin:hunter2@login.example.com/", "the URL holds a user name or password (withheld)")]
    public void OIDC_endpoints_are_https_URLs_on_hosts_the_hostname_rules_allow(string url, string? fragment)
    {
        foreach (var field in (string[])["issuer: ISSUER", "issuer: https://i.example.com, tokenEndpoint: ISSUER"])
        {
            var values = Backend("AzureOpenAI", "azureCredentials: {clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90, tenantID: contoso.com, "
                + Exchange.Edit("issuer: ISSUER", field.Edit("ISSUER", $"\"{url}\""))
                    .Edit("CLIENT", "c").Edit("SCOPE", "openid").Edit("AUD", "api://AzureADTokenExchange") + "}}");
            var found = Specs.Run(CloudCredentialRules.Check, values);
            if (fragment is null)
            {
                Specs.NoDiagnostics(found);
                continue;
            }

            var path = "backends.b.azureCredentials.oidcExchangeToken.oidc.provider." + (field.StartsWith("issuer: ISSUER", StringComparison.Ordinal) ? "issuer" : "tokenEndpoint");
            var error = Specs.SingleError(found, path, fragment);
            Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_allowed_hostnames_of_the_policy_are_for_backends_not_for_OIDC_issuers()
    {
        var policy = ModelsPolicy.Default with { AllowedHostnames = ["*.openai.azure.com"] };
        var values = Backend("AzureOpenAI", "azureCredentials: {clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90, tenantID: contoso.com, "
            + "oidcExchangeToken: {oidc: {provider: {issuer: https://login.example.com}, clientID: c, clientSecret: {name: s}}}}", "team-a.openai.azure.com");
        Specs.NoDiagnostics(Specs.Run(CloudCredentialRules.Check, values, policy));

        // but the denied ones are: the policy's list replaces the default one
        Specs.SingleError(Specs.Run(CloudCredentialRules.Check, values, policy with { DeniedHostnames = ["*.example.com"] }), "backends.b.azureCredentials.oidcExchangeToken.oidc.provider.issuer", "is denied by the policy (matches \"*.example.com\")");
    }

    [Theory]
    [InlineData("CLIENT", "ai gateway", "oidc.clientID", "is not an OAuth client ID")]
    [InlineData("CLIENT", "\"\"", "oidc.clientID", "is not an OAuth client ID")]
    [InlineData("SCOPE", "\"openid profile\"", "oidc.scopes[0]", "is not an OAuth scope")]
    [InlineData("AUD", "\"sts.amazonaws.com\\t\"", "aud", "is not an audience")]
    public void Client_IDs_scopes_and_audiences_are_single_tokens(string placeholder, string value, string path, string fragment)
    {
        var exchange = Exchange.Edit("ISSUER", "https://i.example.com")
            .Edit(placeholder, value)
            .ReplaceAll("CLIENT", "c").ReplaceAll("SCOPE", "openid").ReplaceAll("AUD", "sts.amazonaws.com"); // the placeholders the case left;
        var values = Backend("AWSBedrock", $"awsCredentials: {{region: us-east-1, {exchange}, awsRoleArn: 'arn:aws:iam::123456789012:role/r'}}}}");
        Specs.SingleError(Specs.Run(CloudCredentialRules.Check, values), "backends.b.awsCredentials.oidcExchangeToken." + path, fragment);
    }

    [Theory]
    [InlineData("serviceAccountName: vertex-invoker", null)]
    [InlineData("serviceAccountName: vertex@team-a-ml.iam.gserviceaccount.com", "give only the part before '@': AI Gateway appends @<projectName>.iam.gserviceaccount.com")]
    [InlineData("serviceAccountName: sa", "use 6 to 30 lowercase letters")]
    public void The_impersonated_service_account_is_its_ID(string account, string? fragment)
    {
        var values = Backend("GCPVertexAI", "gcpCredentials: {projectName: team-a-ml, region: us-central1, workloadIdentityFederationConfig: {projectID: '123456789012', "
            + $"workloadIdentityPoolName: pool-1, workloadIdentityProviderName: idp-1, serviceAccountImpersonation: {{{account}}}, "
            + "oidcExchangeToken: {oidc: {provider: {issuer: https://i.example.com}, clientID: c, clientSecret: {name: s}}}}}", "us-central1-aiplatform.googleapis.com");
        var found = Specs.Run(CloudCredentialRules.Check, values);
        if (fragment is null)
        {
            Specs.NoDiagnostics(found);
        }
        else
        {
            Specs.SingleError(found, "backends.b.gcpCredentials.workloadIdentityFederationConfig.serviceAccountImpersonation.serviceAccountName", fragment);
        }
    }
}
