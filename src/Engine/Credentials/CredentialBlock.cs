namespace AiGatewayModels.Engine.Credentials;

/// <summary>The credential keys a backend's values may hold; exactly one per backend, as a BackendSecurityPolicy holds one type.</summary>
public enum CredentialBlock
{
    /// <summary><c>apiKeySecretRef</c>: <c>APIKey</c>, <c>AnthropicAPIKey</c> or <c>AzureAPIKey</c>, by schema.</summary>
    ApiKey,

    /// <summary><c>awsCredentials</c>: <c>AWSCredentials</c>.</summary>
    Aws,

    /// <summary><c>azureCredentials</c>: <c>AzureCredentials</c>.</summary>
    Azure,

    /// <summary><c>gcpCredentials</c>: <c>GCPCredentials</c>.</summary>
    Gcp,
}

/// <summary>
/// BackendSecurityPolicy types (v1beta1 <c>spec.type</c>) and which schema takes which credential block: AWS schemas sign
/// with AWS credentials, GCP schemas with GCP credentials, Azure OpenAI takes an Azure key or Azure credentials, and
/// every other provider an API key.
/// </summary>
public static class CredentialTypes
{
    public const string APIKey = "APIKey";
    public const string AnthropicAPIKey = "AnthropicAPIKey";
    public const string AzureAPIKey = "AzureAPIKey";
    public const string AWSCredentials = "AWSCredentials";
    public const string AzureCredentials = "AzureCredentials";
    public const string GCPCredentials = "GCPCredentials";

    /// <summary>The enum of <c>BackendSecurityPolicy.spec.type</c>.</summary>
    public static readonly IReadOnlyList<string> All = [APIKey, AnthropicAPIKey, AzureAPIKey, AWSCredentials, AzureCredentials, GCPCredentials];

    public static readonly IReadOnlyList<CredentialBlock> Blocks = [CredentialBlock.ApiKey, CredentialBlock.Aws, CredentialBlock.Azure, CredentialBlock.Gcp];

    public static string ValuesKey(CredentialBlock block) => block switch
    {
        CredentialBlock.Aws => "awsCredentials",
        CredentialBlock.Azure => "azureCredentials",
        CredentialBlock.Gcp => "gcpCredentials",
        _ => "apiKeySecretRef",
    };

    /// <summary>The policy type a block becomes; an API key's type depends on the provider's header.</summary>
    public static string TypeOf(CredentialBlock block, string? schema) => block switch
    {
        CredentialBlock.Aws => AWSCredentials,
        CredentialBlock.Azure => AzureCredentials,
        CredentialBlock.Gcp => GCPCredentials,
        _ => schema switch
        {
            "Anthropic" => AnthropicAPIKey,
            "AzureOpenAI" => AzureAPIKey,
            _ => APIKey,
        },
    };

    /// <summary>The blocks a schema authenticates with, preferred first; null for a schema we do not know.</summary>
    public static IReadOnlyList<CredentialBlock>? Accepted(string schema) => schema switch
    {
        "OpenAI" or "Cohere" or "Anthropic" => [CredentialBlock.ApiKey],
        "AzureOpenAI" => [CredentialBlock.ApiKey, CredentialBlock.Azure],
        "AWSBedrock" or "AWSAnthropic" => [CredentialBlock.Aws],
        "GCPVertexAI" or "GCPAnthropic" => [CredentialBlock.Gcp],
        _ => null,
    };

    public static string Describe(CredentialBlock block) => block switch
    {
        CredentialBlock.Aws => "AWS credentials",
        CredentialBlock.Azure => "Azure credentials",
        CredentialBlock.Gcp => "GCP credentials",
        _ => "an API key",
    };

    /// <summary>The smallest values that would be right, for messages.</summary>
    public static string Example(CredentialBlock block) => block switch
    {
        CredentialBlock.Aws => "awsCredentials: {region: us-east-1, credentialsFile: {secretRef: {name: <secret>}}}",
        CredentialBlock.Azure => "azureCredentials: {clientID: <uuid>, tenantID: <uuid>, clientSecretRef: {name: <secret>}}",
        CredentialBlock.Gcp => "gcpCredentials: {projectName: <project>, region: us-central1, credentialsFile: {secretRef: {name: <secret>}}}",
        _ => "apiKeySecretRef: {name: <secret>, key: apiKey}",
    };
}
