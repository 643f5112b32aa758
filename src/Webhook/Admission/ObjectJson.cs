using System.Text.Json;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>Reads the few metadata fields the webhook needs from an admitted object, without parsing anything else.</summary>
internal static class ObjectJson
{
    public static JsonElement? Property(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : null;

    public static string? String(JsonElement? obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>True when both are absent, or both present and equal as JSON.</summary>
    public static bool SameJson(JsonElement? a, JsonElement? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => JsonElement.DeepEquals(x, y),
            _ => false,
        };

    public static JsonElement? Metadata(JsonElement? obj) => Property(obj, "metadata");

    public static string? Label(JsonElement? obj, string key) => String(Property(Metadata(obj), "labels"), key);

    public static string? Annotation(JsonElement? obj, string key) => String(Property(Metadata(obj), "annotations"), key);

    /// <summary>
    /// The ConfigMap as the engine's <see cref="Engine.Input.ConfigMapReader"/> takes it: apiVersion, kind, metadata (name,
    /// namespace, uid, annotations) and data. A conversion only: every judgement stays with the engine.
    /// </summary>
    public static YMapping ConfigMapTree(JsonElement obj, string? requestNamespace)
    {
        var entries = new List<KeyValuePair<YScalar, YNode>>();
        long weight = 1;
        void Add(List<KeyValuePair<YScalar, YNode>> list, string key, YNode value)
        {
            list.Add(new(Scalar(key), value));
            weight += value.Weight + 1;
        }

        foreach (var key in (ReadOnlySpan<string>)["apiVersion", "kind"])
        {
            if (String(obj, key) is { } s)
            {
                Add(entries, key, Scalar(s));
            }
        }

        var meta = Metadata(obj);
        var metaEntries = new List<KeyValuePair<YScalar, YNode>>();
        foreach (var key in (ReadOnlySpan<string>)["name", "uid"])
        {
            if (String(meta, key) is { } s)
            {
                Add(metaEntries, key, Scalar(s));
            }
        }

        if ((String(meta, "namespace") is { Length: > 0 } ns ? ns : requestNamespace) is { Length: > 0 } effective)
        {
            Add(metaEntries, "namespace", Scalar(effective));
        }

        if (StringMap(Property(meta, "annotations")) is { } annotations)
        {
            Add(metaEntries, "annotations", annotations);
        }

        Add(entries, "metadata", new YMapping(metaEntries, metaEntries.Sum(e => e.Value.Weight + 1) + 1, 0, 0));
        if (StringMap(Property(obj, "data")) is { } data)
        {
            Add(entries, "data", data);
        }

        return new YMapping(entries, weight, 0, 0);
    }

    private static YMapping? StringMap(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } o)
        {
            return null;
        }

        var list = new List<KeyValuePair<YScalar, YNode>>();
        foreach (var p in o.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                list.Add(new(Scalar(p.Name), Scalar(p.Value.GetString()!)));
            }
        }

        return new YMapping(list, (list.Count * 2) + 1, 0, 0);
    }

    private static YScalar Scalar(string value) => new(value, true, null, 0, 0);
}
