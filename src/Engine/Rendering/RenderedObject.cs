using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>One desired object: its kind, the version it is written in, and the full manifest.</summary>
public sealed record RenderedObject(ResourceKind Kind, string ApiVersion, string Name, JsonObject Manifest);

/// <summary>The owner the expander sets on everything it writes, so that deleting the ConfigMap deletes them.</summary>
public sealed record OwnerConfigMap(string Name, string Uid);

public sealed record RenderOptions(ApiVersionSelection Versions, OwnerConfigMap? Owner = null)
{
    public static RenderOptions Default { get; } = new(ApiVersionSelection.Newest);
}

/// <summary>
/// Everything rendered, plus the kinds left out because the cluster does not serve them, the objects left out because
/// the served version cannot express them (one sentence each), and the Secrets the expander projects at run time.
/// </summary>
public sealed record RenderResult(
    IReadOnlyList<RenderedObject> Objects,
    IReadOnlyList<ResourceKind> SkippedKinds,
    IReadOnlyList<SecretReference> SecretProjections,
    IReadOnlyList<string> Omitted);
