namespace AiGatewayModels.Engine.Credentials;

/// <summary>
/// What a Secret named in the values is for, and the data key AI Gateway v1.1.0 reads from it. AI Gateway reads one
/// fixed key per purpose, so a user's Secret with another key is projected by the expander into
/// <c>&lt;backendKey&gt;&lt;ProjectedSuffix&gt;</c> under <see cref="DataKey"/>. Sources (AI Gateway v1.1.0):
/// <list type="bullet">
/// <item><c>apiKey</c>: <c>internal/controller/gateway.go</c>, <c>apiKeyInSecret</c> (APIKey, AzureAPIKey, AnthropicAPIKey)</item>
/// <item><c>credentials</c>: <c>internal/controller/rotators/aws_common.go</c>, <c>AwsCredentialsKey</c> (an AWS credentials file)</item>
/// <item><c>client-secret</c>: <c>internal/controller/backend_security_policy.go</c> and <c>tokenprovider/token_provider.go</c>,
/// <c>clientSecretKey</c> (Azure's client secret, and the OIDC client secret of every token exchange)</item>
/// <item><c>service_account.json</c>: <c>internal/controller/rotators/gcp_token_rotator.go</c>, <c>GCPServiceAccountJSON</c></item>
/// </list>
/// </summary>
public sealed record SecretPurpose(string Name, string DataKey, string ProjectedSuffix, string Description)
{
    public static readonly SecretPurpose ApiKey = new("ApiKey", "apiKey", "-apikey", "API key");
    public static readonly SecretPurpose AwsCredentialsFile = new("AwsCredentialsFile", "credentials", "-aws-credentials", "AWS credentials file");
    public static readonly SecretPurpose AzureClientSecret = new("AzureClientSecret", "client-secret", "-azure-client-secret", "Azure client secret");
    public static readonly SecretPurpose GcpServiceAccountKey = new("GcpServiceAccountKey", "service_account.json", "-gcp-service-account", "GCP service account key file");
    public static readonly SecretPurpose OidcClientSecret = new("OidcClientSecret", "client-secret", "-oidc-client-secret", "OIDC client secret");

    public static readonly IReadOnlyList<SecretPurpose> All = [ApiKey, AwsCredentialsFile, AzureClientSecret, GcpServiceAccountKey, OidcClientSecret];

    /// <summary>AI Gateway writes <c>ai-eg-bsp-&lt;policy&gt;</c> itself for the credentials it rotates (<c>rotators/common.go</c>).</summary>
    public const string RotatedSecretPrefix = "ai-eg-bsp-";
}
