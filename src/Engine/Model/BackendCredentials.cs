using AiGatewayModels.Engine.Credentials;

namespace AiGatewayModels.Engine.Model;

// A backend's credentials after validation: exactly one BackendSecurityPolicy type. The Secrets they hold are the
// very SecretReferences of ValidatedModel.Secrets, which is where every consumer enumerates them.

/// <summary>The credentials of one backend, by BackendSecurityPolicy <see cref="Type"/>.</summary>
public abstract record BackendCredentials(string Type);

/// <summary><c>APIKey</c>, <c>AnthropicAPIKey</c> or <c>AzureAPIKey</c>.</summary>
public sealed record ApiKeyCredentials(string KeyType, SecretReference ApiKey) : BackendCredentials(KeyType);

/// <summary><c>AWSCredentials</c>; neither a file nor an exchange: the default credential chain.</summary>
public sealed record AwsCredentials(string Region, SecretReference? CredentialsFile, string? Profile, OidcExchange? OidcExchange, string? RoleArn)
    : BackendCredentials(CredentialTypes.AWSCredentials);

/// <summary><c>AzureCredentials</c>: a client secret or a token exchange.</summary>
public sealed record AzureCredentials(string ClientId, string TenantId, SecretReference? ClientSecret, OidcExchange? OidcExchange)
    : BackendCredentials(CredentialTypes.AzureCredentials);

/// <summary><c>GCPCredentials</c>; neither a key file nor federation: application default credentials.</summary>
public sealed record GcpCredentials(string ProjectName, string Region, SecretReference? CredentialsFile, GcpWorkloadIdentity? WorkloadIdentity)
    : BackendCredentials(CredentialTypes.GCPCredentials);

public sealed record GcpWorkloadIdentity(string ProjectId, string PoolName, string ProviderName, string? ServiceAccountName, OidcExchange OidcExchange);

/// <summary>An OIDC client-credentials grant whose token AI Gateway exchanges for the cloud's credentials.</summary>
public sealed record OidcExchange(string Issuer, string? TokenEndpoint, string ClientId, SecretReference ClientSecret, IReadOnlyList<string>? Scopes, string? Audience);
