namespace AiGatewayModels.Engine.Values;

// Cloud credentials as the values write them: the shape of BackendSecurityPolicy v1beta1's awsCredentials,
// azureCredentials and gcpCredentials, with every Secret reference a {name, key} in the ConfigMap's own namespace.
// As in ValuesSpec, anything missing or mistyped is null here and has already been reported by the binder.

/// <summary><c>awsCredentials</c>: neither a file nor an exchange means the default credential chain (IRSA, EKS Pod Identity).</summary>
public sealed record AwsCredentialsSpec(string Path, string? Region, CredentialsFileSpec? CredentialsFile, OidcExchangeSpec? OidcExchangeToken);

/// <summary>
/// <c>azureCredentials</c>: exactly one of a client secret and a token exchange (the CRD's CEL rule).
/// <see cref="ClientID"/> and <see cref="TenantID"/> keep the CRD's spelling.
/// </summary>
public sealed record AzureCredentialsSpec(string Path, string? ClientID, string? TenantID, SecretRefSpec? ClientSecretRef, OidcExchangeSpec? OidcExchangeToken);

/// <summary><c>gcpCredentials</c>: at most one of a key file and workload identity federation; neither means application default credentials.</summary>
public sealed record GcpCredentialsSpec(string Path, string? ProjectName, string? Region, CredentialsFileSpec? CredentialsFile, GcpWorkloadIdentitySpec? WorkloadIdentityFederationConfig);

/// <summary><c>credentialsFile: {secretRef, profile}</c>; a profile only for AWS.</summary>
public sealed record CredentialsFileSpec(string Path, SecretRefSpec? SecretRef, string? Profile);

/// <summary><c>gcpCredentials.workloadIdentityFederationConfig</c>.</summary>
public sealed record GcpWorkloadIdentitySpec(
    string Path,
    string? ProjectID,
    string? WorkloadIdentityPoolName,
    string? WorkloadIdentityProviderName,
    string? ServiceAccountName,
    OidcExchangeSpec? OidcExchangeToken);

/// <summary><c>oidcExchangeToken: {oidc, aud, awsRoleArn}</c>: AI Gateway obtains a token with the OIDC client credentials and exchanges it.</summary>
public sealed record OidcExchangeSpec(string Path, OidcSpec? Oidc, string? Aud, string? AwsRoleArn);

/// <summary><c>oidc: {provider: {issuer, tokenEndpoint}, clientID, clientSecret, scopes}</c>.</summary>
public sealed record OidcSpec(string Path, string? Issuer, string? TokenEndpoint, string? ClientID, SecretRefSpec? ClientSecret, IReadOnlyList<string>? Scopes);
