using System.Text.Json.Nodes;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>Which values ConfigMap owns a generated object, read from its owner references.</summary>
internal static class OwnerReferences
{
    /// <summary>The UID of the controller owner reference that points at a ConfigMap, if any.</summary>
    public static string? ControllerConfigMapUid(this JsonObject o)
    {
        if (o.Obj("metadata")?["ownerReferences"] is not JsonArray refs)
        {
            return null;
        }

        foreach (var r in refs.OfType<JsonObject>())
        {
            if (r.Str("kind") == "ConfigMap" && r.Str("apiVersion") == "v1" && r["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
            {
                return r.Str("uid");
            }
        }

        return null;
    }

    public static string? ControllerConfigMapName(this JsonObject o)
    {
        if (o.Obj("metadata")?["ownerReferences"] is not JsonArray refs)
        {
            return null;
        }

        return refs.OfType<JsonObject>().FirstOrDefault(r => r.Str("kind") == "ConfigMap" && r.Str("apiVersion") == "v1")?.Str("name");
    }
}
