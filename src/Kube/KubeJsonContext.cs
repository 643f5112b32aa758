using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiGatewayModels.Kube;

/// <summary>
/// Serialization of untyped objects through KubernetesClient.Aot's generic operations: its own source-generated context
/// covers the generated models only, so this one is chained after it (no reflection, Native AOT stays clean).
/// </summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))] // the generated models' untyped fields (managedFields' fieldsV1) read back as elements
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
