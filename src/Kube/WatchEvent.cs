using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>One watch event: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, and its object.</summary>
public sealed record WatchEvent(string Type, JsonObject Item);
