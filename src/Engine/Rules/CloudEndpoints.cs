using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rules;

/// <summary>The region a provider's public endpoint names, so that a backend whose host and credentials disagree can be told.</summary>
public static partial class CloudEndpoints
{
    public const string VertexGlobalHost = "aiplatform.googleapis.com";

    /// <summary><c>bedrock-runtime[-fips].&lt;region&gt;.amazonaws.com[.cn]</c> → the region; null for any other host (a VPC endpoint, a proxy).</summary>
    public static string? BedrockRegion(string host) => Bedrock().Match(host) is { Success: true } m ? m.Groups["region"].Value : null;

    /// <summary><c>&lt;region&gt;-aiplatform.googleapis.com</c> → the region, <c>aiplatform.googleapis.com</c> → global; null otherwise.</summary>
    public static string? VertexRegion(string host) =>
        host == VertexGlobalHost ? "global" : Vertex().Match(host) is { Success: true } m ? m.Groups["region"].Value : null;

    public static string BedrockHost(string region) => $"bedrock-runtime.{region}.amazonaws.com";

    public static string VertexHost(string region) => region == "global" ? VertexGlobalHost : $"{region}-aiplatform.googleapis.com";

    [GeneratedRegex(@"^bedrock-runtime(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Bedrock();

    [GeneratedRegex(@"^(?<region>[a-z0-9-]+)-aiplatform\.googleapis\.com\z", RegexOptions.CultureInvariant)]
    private static partial Regex Vertex();
}
