using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// The shapes of cloud identifiers, as each provider documents them, so that a typo is caught before AI Gateway's
/// controller tries it against the provider. \z, not $, as everywhere: $ would also accept a final line feed.
/// </summary>
public static partial class CloudIdentifiers
{
    /// <summary>AWS regions: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1.</summary>
    public static bool IsAwsRegion(string s) => AwsRegion().IsMatch(s);

    /// <summary>An IAM role ARN in any partition, with an optional path: arn:aws:iam::123456789012:role/path/name.</summary>
    public static bool IsAwsRoleArn(string s) => AwsRoleArn().IsMatch(s);

    /// <summary>A profile (section) name of an AWS credentials file.</summary>
    public static bool IsAwsProfile(string s) => AwsProfile().IsMatch(s);

    /// <summary>Vertex AI locations: a region (us-central1, europe-west4, northamerica-northeast1), the multi-regions us and eu, or global.</summary>
    public static bool IsGcpRegion(string s) => GcpRegion().IsMatch(s);

    /// <summary>A project ID (6 to 30 characters: lowercase letters, digits and '-', starting with a letter) or a project number.</summary>
    public static bool IsGcpProject(string s) => GcpProjectId().IsMatch(s) || IsNumber(s);

    /// <summary>Workload identity pool and provider IDs: 4 to 32 lowercase letters, digits and '-'; the prefix gcp- is Google's.</summary>
    public static bool IsGcpWorkloadIdentityId(string s) => GcpPoolId().IsMatch(s) && !s.StartsWith("gcp-", StringComparison.Ordinal);

    /// <summary>A service account ID, the part of its e-mail address before '@': 6 to 30 characters.</summary>
    public static bool IsGcpServiceAccountId(string s) => GcpServiceAccountId().IsMatch(s);

    public static bool IsNumber(string s) => s.Length is > 0 and <= 20 && s.All(char.IsAsciiDigit);

    /// <summary>Microsoft Entra client (application) and tenant IDs are GUIDs.</summary>
    public static bool IsGuid(string s) => GuidPattern().IsMatch(s);

    /// <summary>A tenant may also be named by one of its verified domains, e.g. contoso.onmicrosoft.com.</summary>
    public static bool IsAzureTenant(string s) => IsGuid(s) || (s.Contains('.', StringComparison.Ordinal) && KubernetesNames.IsDnsHostname(s));

    /// <summary>OAuth client IDs, audiences and scopes: 1 to 256 visible ASCII characters, no spaces.</summary>
    public static bool IsOAuthToken(string s) => OAuthToken().IsMatch(s);

    /// <summary>
    /// A schema version: AI Gateway writes it into a URL query (Azure's api-version), a path segment (Cohere) or a JSON
    /// body (anthropic_version), so nothing that could start another parameter or segment is allowed.
    /// </summary>
    public static bool IsSchemaVersion(string s) => SchemaVersion().IsMatch(s);

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AwsRoleArn();

    [GeneratedRegex(@"^[A-Za-z0-9_.+=,@-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AwsProfile();

    [GeneratedRegex(@"^(global|us|eu|[a-z]+-[a-z]+[0-9]{1,2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpRegion();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{4,28}[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpProjectId();

    [GeneratedRegex(@"^[a-z0-9-]{4,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpPoolId();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{4,28}[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpServiceAccountId();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"^[\x21-\x7E]{1,256}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OAuthToken();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaVersion();
}
