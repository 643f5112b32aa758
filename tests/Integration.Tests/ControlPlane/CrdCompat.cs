using System.Text.Json.Nodes;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// Rewrites a current upstream CRD so that a v1.20 kube-apiserver accepts it. v1.20 predates CEL
/// (x-kubernetes-validations) and reads <c>default: ""</c> on a string field as null. So CEL rules are dropped,
/// empty-string defaults are dropped, and a list-map whose key relied on such a default becomes an atomic list.
/// Everything else (structural schema, enums, patterns, min/max, required, pruning) is kept and enforced.
/// </summary>
public static class CrdCompat
{
    public static void MakeV120Compatible(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                Fix(obj);
                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    MakeV120Compatible(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    MakeV120Compatible(child);
                }

                break;
        }
    }

    private static void Fix(JsonObject obj)
    {
        obj.Remove("x-kubernetes-validations");
        if (obj["x-kubernetes-list-map-keys"] is JsonArray keys && obj["items"] is JsonObject items)
        {
            var properties = items["properties"] as JsonObject;
            var required = (items["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
            var keyReliesOnEmptyDefault = keys
                .Select(k => k!.GetValue<string>())
                .Any(k => IsEmptyString((properties?[k] as JsonObject)?["default"]) && !required.Contains(k));
            if (keyReliesOnEmptyDefault)
            {
                obj.Remove("x-kubernetes-list-map-keys");
                obj["x-kubernetes-list-type"] = "atomic";
            }
        }

        if (IsEmptyString(obj["default"]))
        {
            obj.Remove("default");
        }
    }

    private static bool IsEmptyString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) && s.Length == 0;
}
