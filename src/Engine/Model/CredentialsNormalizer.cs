using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Model;

/// <summary>A backend's credentials as the model holds them; runs only on values without errors, so exactly one block is present.</summary>
internal static class CredentialsNormalizer
{
    /// <summary>The credentials, and the backend's Secrets in the order <see cref="BackendSecrets.Of"/> names them.</summary>
    public static (BackendCredentials Credentials, List<SecretReference> Secrets) Normalize(BackendSpec b)
    {
        var secrets = new List<SecretReference>();
        var bySpec = new Dictionary<SecretRefSpec, SecretReference>();
        foreach (var (spec, purpose) in BackendSecrets.Of(b))
        {
            var reference = new SecretReference(b.Key, spec.Path, purpose, spec.Name!, spec.Key ?? purpose.DataKey);
            bySpec.Add(spec, reference);
            secrets.Add(reference);
        }

        SecretReference? Ref(SecretRefSpec? spec) => spec is null ? null : bySpec[spec];

        OidcExchange? Exchange(OidcExchangeSpec? e) => e?.Oidc is not { } o
            ? null
            : new OidcExchange(o.Issuer!, o.TokenEndpoint, o.ClientID!, Ref(o.ClientSecret)!, o.Scopes, e.Aud);

        BackendCredentials credentials = b switch
        {
            { AwsCredentials: { } aws } => new AwsCredentials(
                aws.Region!, Ref(aws.CredentialsFile?.SecretRef), aws.CredentialsFile?.Profile, Exchange(aws.OidcExchangeToken), aws.OidcExchangeToken?.AwsRoleArn),
            { AzureCredentials: { } azure } => new AzureCredentials(
                azure.ClientID!, azure.TenantID!, Ref(azure.ClientSecretRef), Exchange(azure.OidcExchangeToken)),
            { GcpCredentials: { } gcp } => new GcpCredentials(
                gcp.ProjectName!,
                gcp.Region!,
                Ref(gcp.CredentialsFile?.SecretRef),
                gcp.WorkloadIdentityFederationConfig is { } w
                    ? new GcpWorkloadIdentity(w.ProjectID!, w.WorkloadIdentityPoolName!, w.WorkloadIdentityProviderName!, w.ServiceAccountName, Exchange(w.OidcExchangeToken)!)
                    : null),
            _ => new ApiKeyCredentials(CredentialTypes.TypeOf(CredentialBlock.ApiKey, b.Schema), Ref(b.ApiKeySecretRef)!),
        };
        return (credentials, secrets);
    }
}
