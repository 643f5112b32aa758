using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// What the apiserver does to a custom resource before it validates it: a null under a key whose schema is not
/// nullable is pruned, and a missing property with a <c>default</c> gets it (recursively, also inside defaults).
/// </summary>
internal static class StructuralDefaulter
{
    public static void Apply(JsonNode? node, SchemaNode schema)
    {
        switch (node)
        {
            case JsonObject obj:
                ApplyToObject(obj, schema);
                break;
            case JsonArray array when schema.Items is not null:
                foreach (var item in array)
                {
                    Apply(item, schema.Items);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, SchemaNode schema)
    {
        foreach (var (key, value) in obj.ToList())
        {
            var property = schema.PropertySchema(key);
            if (value is null && property is { Nullable: false })
            {
                if (property.Default is null)
                {
                    obj.Remove(key);
                }
                else
                {
                    obj[key] = property.Default.DeepClone();
                }
            }
        }

        foreach (var (name, property) in schema.Properties)
        {
            if (property.Default is not null && !obj.ContainsKey(name))
            {
                obj[name] = property.Default.DeepClone();
            }
        }

        foreach (var (key, value) in obj)
        {
            if (schema.PropertySchema(key) is { } property)
            {
                Apply(value, property);
            }
        }
    }
}
