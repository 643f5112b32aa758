using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>Basic checks for the core (group "", version v1) kinds the project emits: metadata, top-level fields, data maps.</summary>
internal static class CoreObjectValidator
{
    private static readonly Dictionary<string, (bool Namespaced, string[] Fields)> Kinds = new(StringComparer.Ordinal)
    {
        ["Secret"] = (true, ["data", "stringData", "type", "immutable"]),
        ["ConfigMap"] = (true, ["data", "binaryData", "immutable"]),
        ["Service"] = (true, ["spec", "status"]),
        ["ServiceAccount"] = (true, ["secrets", "imagePullSecrets", "automountServiceAccountToken"]),
        ["Namespace"] = (false, ["spec", "status"]),
    };

    public static bool Knows(string kind) => Kinds.ContainsKey(kind);

    public static void Validate(JsonObject obj, string kind, List<string> errors)
    {
        var (namespaced, fields) = Kinds[kind];
        MetadataValidator.Validate(obj["metadata"], namespaced, errors);
        foreach (var key in obj.Select(p => p.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata") && !fields.Contains(k)))
        {
            errors.Add($"{key}: unknown field \"{key}\" (a {kind} has: {string.Join(", ", fields)})");
        }

        if (obj.ContainsKey("immutable") && !JsonScalars.TryBool(obj["immutable"], out _))
        {
            errors.Add("immutable: must be of type boolean");
        }

        if (obj.ContainsKey("type") && !JsonScalars.TryString(obj["type"], out _))
        {
            errors.Add("type: must be of type string");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        switch (kind)
        {
            case "Secret":
                CheckDataMap(obj, "data", base64: true, keys, errors);
                CheckDataMap(obj, "stringData", base64: false, new HashSet<string>(StringComparer.Ordinal), errors);
                break;
            case "ConfigMap":
                CheckDataMap(obj, "data", base64: false, keys, errors);
                CheckDataMap(obj, "binaryData", base64: true, keys, errors);
                break;
        }
    }

    private static void CheckDataMap(JsonObject obj, string field, bool base64, HashSet<string> keys, List<string> errors)
    {
        if (obj[field] is null)
        {
            return;
        }

        if (obj[field] is not JsonObject map)
        {
            errors.Add($"{field}: must be a map of string to string");
            return;
        }

        foreach (var (key, value) in map)
        {
            errors.AddRange(KubernetesNames.CheckConfigMapKey(key).Select(p => $"{field}[{key}]: key {p}"));
            if (!keys.Add(key))
            {
                errors.Add($"{field}[{key}]: duplicate key (also in another data map)");
            }

            if (!JsonScalars.TryString(value, out _))
            {
                errors.Add($"{field}[{key}]: must be of type string, got {JsonScalars.Show(value)}");
            }
            else if (base64 && SchemaFormats.Check("byte", value!) is { } problem)
            {
                errors.Add($"{field}[{key}]: {problem}");
            }
        }
    }
}
