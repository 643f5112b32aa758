using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// The BackendSecurityPolicy of a backend: one per backend, of the type its credentials have, with exactly that type's
/// field set (the CRD's "only x field should be set" rules). Secrets are named in the policy's namespace, which is the
/// ConfigMap's: AI Gateway reads them from there.
/// </summary>
internal static class SecurityPolicyObjects
{
    /// <summary>API-key policies keep the name they always had; cloud credentials get a name that says what they are.</summary>
    public static string Name(ValidBackend b) => ObjectNames.SecurityPolicy(b);

    /// <summary>The spec, or null (and why) when the API version the cluster serves cannot express these credentials.</summary>
    public static JsonObject? Spec(ValidBackend b, string ns, string? apiVersion, out string? unsupported)
    {
        unsupported = null;
        JsonObject body;
        string field;
        switch (b.Credentials)
        {
            case AwsCredentials aws:
                field = "awsCredentials";
                body = Obj(
                    ("region", Str(aws.Region)),
                    ("credentialsFile", aws.CredentialsFile is { } file ? Obj(("secretRef", SecretRef(file)), ("profile", Str(aws.Profile))) : null),
                    ("oidcExchangeToken", aws.OidcExchange is { } exchange ? Exchange(exchange, ns, aws.RoleArn) : null));
                break;
            case AzureCredentials azure:
                field = "azureCredentials";
                body = Obj(
                    ("clientID", Str(azure.ClientId)),
                    ("tenantID", Str(azure.TenantId)),
                    ("clientSecretRef", azure.ClientSecret is { } secret ? SecretRef(secret) : null),
                    ("oidcExchangeToken", azure.OidcExchange is { } azureExchange ? Exchange(azureExchange, ns) : null));
                break;
            case GcpCredentials gcp:
                if (gcp.CredentialsFile is null && gcp.WorkloadIdentity is null && apiVersion == ResourceKind.BackendSecurityPolicy.ApiVersion("v1alpha1"))
                {
                    // v1alpha1's CEL rule requires exactly one of the two; ADC came with v1beta1 (AI Gateway v0.6).
                    unsupported = $"application default credentials need BackendSecurityPolicy v1beta1 (AI Gateway v0.6 or later), and the cluster serves {apiVersion}";
                    return null;
                }

                field = "gcpCredentials";
                body = Obj(
                    ("projectName", Str(gcp.ProjectName)),
                    ("region", Str(gcp.Region)),
                    ("credentialsFile", gcp.CredentialsFile is { } key ? Obj(("secretRef", SecretRef(key))) : null),
                    ("workloadIdentityFederationConfig", gcp.WorkloadIdentity is { } wif ? WorkloadIdentity(wif, ns) : null));
                break;
            case ApiKeyCredentials apiKey:
                field = apiKey.KeyType switch
                {
                    CredentialTypes.AnthropicAPIKey => "anthropicAPIKey",
                    CredentialTypes.AzureAPIKey => "azureAPIKey",
                    _ => "apiKey",
                };
                body = Obj(("secretRef", SecretRef(apiKey.ApiKey)));
                break;
            default:
                throw new InvalidOperationException($"credentials of type {b.Credentials.Type} have no rendering");
        }

        return Obj(
            ("targetRefs", Arr(Obj(("group", Str("aigateway.envoyproxy.io")), ("kind", Str("AIServiceBackend")), ("name", Str(b.ResourceName))))),
            ("type", Str(b.Credentials.Type)),
            (field, body));
    }

    private static JsonObject SecretRef(SecretReference s) => Obj(("name", Str(s.PolicySecretName)));

    private static JsonObject WorkloadIdentity(GcpWorkloadIdentity wif, string ns) => Obj(
        ("projectID", Str(wif.ProjectId)),
        ("workloadIdentityPoolName", Str(wif.PoolName)),
        ("workloadIdentityProviderName", Str(wif.ProviderName)),
        ("serviceAccountImpersonation", wif.ServiceAccountName is { } account ? Obj(("serviceAccountName", Str(account))) : null),
        ("oidcExchangeToken", Exchange(wif.OidcExchange, ns)));

    /// <summary>
    /// The token exchange. The client secret names its namespace: AI Gateway's OIDC token provider refuses a reference
    /// without one ("oidc client secret namespace is nil", internal/controller/tokenprovider/oidc_token_provider.go).
    /// </summary>
    private static JsonObject Exchange(OidcExchange e, string ns, string? awsRoleArn = null) => Obj(
        ("oidc", Obj(
            ("provider", Obj(("issuer", Str(e.Issuer)), ("tokenEndpoint", Str(e.TokenEndpoint)))),
            ("clientID", Str(e.ClientId)),
            ("clientSecret", Obj(("name", Str(e.ClientSecret.PolicySecretName)), ("namespace", Str(ns)))),
            ("scopes", e.Scopes is { Count: > 0 } scopes ? Arr(scopes, s => Str(s)) : null))),
        ("aud", Str(e.Audience)),
        ("awsRoleArn", Str(awsRoleArn)));
}
