using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// One object to apply: the engine's manifest plus the annotation <c>models.ai-gateway.io/applied-hash</c> (a hash of
/// that manifest), which lets the next reconcile see that an object is in sync without writing. Secrets carry no
/// hash (it would be derived from the key); they are compared field by field.
/// </summary>
internal sealed record DesiredObject(ResourceKind Kind, string ApiVersion, string Name, JsonObject Manifest, string? Hash)
{
    public const string HashAnnotation = "models.ai-gateway.io/applied-hash";

    public static DesiredObject From(RenderedObject rendered) => From(rendered.Kind, rendered.ApiVersion, rendered.Name, rendered.Manifest);

    public static DesiredObject From(ResourceKind kind, string apiVersion, string name, JsonObject engineManifest)
    {
        var manifest = (JsonObject)engineManifest.DeepClone();
        if (kind == ResourceKind.Secret)
        {
            return new DesiredObject(kind, apiVersion, name, manifest, null);
        }

        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToJsonString())))[..32];
        var metadata = (JsonObject)manifest["metadata"]!;
        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations[HashAnnotation] = hash;
        return new DesiredObject(kind, apiVersion, name, manifest, hash);
    }

    /// <summary>
    /// True when every field of <paramref name="desired"/> has the same value in <paramref name="live"/> (which may have
    /// more: defaults, status, other managers' fields). Lists must match item by item.
    /// </summary>
    public static bool Contains(JsonNode? live, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return live is null;
            case JsonObject d:
                if (live is not JsonObject l)
                {
                    return false;
                }

                foreach (var (key, value) in d)
                {
                    if (value is null)
                    {
                        continue; // an absent field and a null one apply alike
                    }

                    if (!l.TryGetPropertyValue(key, out var lv) || !Contains(lv, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray da:
                if (live is not JsonArray la || la.Count != da.Count)
                {
                    return false;
                }

                for (var i = 0; i < da.Count; i++)
                {
                    if (!Contains(la[i], da[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return live is JsonValue lvv && ScalarEquals(lvv, (JsonValue)desired);
        }
    }

    private static bool ScalarEquals(JsonValue live, JsonValue desired)
    {
        var (l, d) = (live.ToJsonString(), desired.ToJsonString());
        if (live.GetValueKind() == System.Text.Json.JsonValueKind.Number && desired.GetValueKind() == System.Text.Json.JsonValueKind.Number &&
            decimal.TryParse(l, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ln) &&
            decimal.TryParse(d, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var dn))
        {
            return ln == dn;
        }

        return l == d;
    }
}
