using AiGatewayModels.Engine.Credentials;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Every Secret a backend's values name, with what it is for: the one enumeration that the name rules, the policy's
/// keyless check and the validated model (and through it the webhook, the projection and the expander's report) use.
/// </summary>
public static class BackendSecrets
{
    public static IEnumerable<(SecretRefSpec Ref, SecretPurpose Purpose)> Of(BackendSpec b)
    {
        if (b.ApiKeySecretRef is { } apiKey)
        {
            yield return (apiKey, SecretPurpose.ApiKey);
        }

        if (b.AwsCredentials is { } aws)
        {
            if (aws.CredentialsFile?.SecretRef is { } file)
            {
                yield return (file, SecretPurpose.AwsCredentialsFile);
            }

            if (aws.OidcExchangeToken?.Oidc?.ClientSecret is { } oidc)
            {
                yield return (oidc, SecretPurpose.OidcClientSecret);
            }
        }

        if (b.AzureCredentials is { } azure)
        {
            if (azure.ClientSecretRef is { } clientSecret)
            {
                yield return (clientSecret, SecretPurpose.AzureClientSecret);
            }

            if (azure.OidcExchangeToken?.Oidc?.ClientSecret is { } oidc)
            {
                yield return (oidc, SecretPurpose.OidcClientSecret);
            }
        }

        if (b.GcpCredentials is { } gcp)
        {
            if (gcp.CredentialsFile?.SecretRef is { } file)
            {
                yield return (file, SecretPurpose.GcpServiceAccountKey);
            }

            if (gcp.WorkloadIdentityFederationConfig?.OidcExchangeToken?.Oidc?.ClientSecret is { } oidc)
            {
                yield return (oidc, SecretPurpose.OidcClientSecret);
            }
        }
    }

    /// <summary>The blocks present, in the order of <see cref="CredentialTypes.Blocks"/>, each with its path.</summary>
    public static IEnumerable<(CredentialBlock Block, string Path)> Blocks(BackendSpec b)
    {
        if (b.ApiKeySecretRef is { } apiKey)
        {
            yield return (CredentialBlock.ApiKey, apiKey.Path);
        }

        if (b.AwsCredentials is { } aws)
        {
            yield return (CredentialBlock.Aws, aws.Path);
        }

        if (b.AzureCredentials is { } azure)
        {
            yield return (CredentialBlock.Azure, azure.Path);
        }

        if (b.GcpCredentials is { } gcp)
        {
            yield return (CredentialBlock.Gcp, gcp.Path);
        }
    }

    /// <summary>
    /// True when the backend would borrow the gateway's own cloud identity: AWS's default chain (IRSA, EKS Pod Identity
    /// of the Envoy pods) or GCP's application default credentials (GKE workload identity of the Envoy pods).
    /// </summary>
    public static bool UsesGatewayIdentity(BackendSpec b) =>
        b.AwsCredentials is { CredentialsFile: null, OidcExchangeToken: null } ||
        b.GcpCredentials is { CredentialsFile: null, WorkloadIdentityFederationConfig: null };
}
