using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// A JSON value as the Cel package sees it, typed by its schema the way Kubernetes types <c>self</c>: objects are
/// <c>Dictionary&lt;string, object?&gt;</c> holding only the fields the schema keeps, arrays are <c>object?[]</c>,
/// integers <c>long</c>, numbers <c>double</c>.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node, SchemaNode? schema, bool isRoot = false)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in obj)
                {
                    if (isRoot && key == "metadata")
                    {
                        // Rules on the whole object see only metadata.name and metadata.generateName.
                        map[key] = MetadataNames(value);
                        continue;
                    }

                    var property = schema?.PropertySchema(key);
                    if (property is null && schema is not null && !schema.AllowsUndeclaredKeys)
                    {
                        continue; // pruned by the apiserver
                    }

                    map[key] = From(value, property);
                }

                return map;
            case JsonArray array:
                return array.Select(item => From(item, schema?.Items)).ToArray();
        }

        if (JsonScalars.TryString(node, out var text))
        {
            return text;
        }

        if (JsonScalars.TryBool(node, out var flag))
        {
            return flag;
        }

        if (schema?.Type != "number" && JsonScalars.TryInteger(node, out var integer))
        {
            return integer;
        }

        return JsonScalars.TryNumber(node, out var number) ? number : throw new InvalidDataException($"unexpected JSON {node.GetValueKind()}");
    }

    private static Dictionary<string, object?> MetadataNames(JsonNode? metadata)
    {
        var names = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in new[] { "name", "generateName" })
        {
            if (JsonScalars.TryString(metadata?[key], out var text))
            {
                names[key] = text;
            }
        }

        return names;
    }

    internal static bool IsKind(JsonNode? node, SchemaNode schema) => schema.Type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => JsonScalars.Kind(node) == JsonValueKind.String,
        "integer" or "number" => JsonScalars.Kind(node) == JsonValueKind.Number,
        "boolean" => JsonScalars.TryBool(node, out _),
        _ => node is not null,
    };
}
