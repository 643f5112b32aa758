using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiGatewayModels.Kube;

/// <summary>
/// JSON of the typed core objects the programs use (KubernetesClient.Aot's generated models), with the package's own
/// converters (RFC 3339 times as the apiserver writes them), and of untyped objects. Not the package's context: that one
/// covers all 872 models, and rooting it made each binary 16 – 21 MB larger and every start slower (docs/expander.md).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    Converters = [typeof(KubernetesJson.KubernetesDateTimeConverter), typeof(KubernetesJson.KubernetesDateTimeOffsetConverter), typeof(KubernetesJson.Iso8601TimeSpanConverter)])]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(V1SubjectAccessReview))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))] // the models' untyped fields (managedFields' fieldsV1) read back as elements and are written again
public sealed partial class KubeModels : JsonSerializerContext;
