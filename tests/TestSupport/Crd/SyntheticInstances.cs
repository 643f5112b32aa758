using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Builds plausible values for a schema node, to try every CEL rule of a kind without a real object: a minimal
/// value (required fields only) and a full one (every declared field). Strings are picked to satisfy the node's
/// pattern, length and format where one of a few candidates does; the apiserver's defaults are applied.
/// </summary>
internal static class SyntheticInstances
{
    private static readonly string[] StringCandidates =
    [
        "a", "1s", "10s", "1", "a.b", "/a", "A", "aa", "Aa", "a-b", "http://a", "https://a.b/c", "10.0.0.1", "10.0.0.0/8", "::1",
        "2024-01-01T00:00:00Z", "a:b", "*", "YQ==", "a/b", "a.b/c", "1Mi", "GET", "ab", "abc", "x-a",
    ];

    public static JsonNode? Build(SchemaNode schema, bool full)
    {
        var value = Synthesize(schema, full);
        StructuralDefaulter.Apply(value, schema);
        return value;
    }

    private static JsonNode? Synthesize(SchemaNode schema, bool full)
    {
        if (schema.Enum is { Count: > 0 } allowed)
        {
            return allowed[0]?.DeepClone();
        }

        if (schema.Default is not null && !full)
        {
            return schema.Default.DeepClone();
        }

        if (schema.IntOrString)
        {
            return schema.Pattern is null && schema.AnyOf.All(a => a.Pattern is null) ? JsonValue.Create(1) : PickString(schema);
        }

        switch (schema.Type)
        {
            case "object":
                var obj = new JsonObject();
                foreach (var (name, property) in schema.Properties)
                {
                    if (full || schema.Required.Contains(name))
                    {
                        obj[name] = Synthesize(property, full);
                    }
                }

                if (full && schema.Properties.Count == 0 && schema.AdditionalProperties is { } values)
                {
                    obj["a"] = Synthesize(values, full);
                }

                return obj;
            case "array":
                var count = Math.Max((int)(schema.MinItems ?? 0), full ? 2 : 1);
                count = (int)Math.Min(count, schema.MaxItems ?? count);
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(schema.Items is null ? JsonValue.Create("a") : Synthesize(schema.Items, full));
                }

                return array;
            case "integer":
            case "number":
                var number = schema.Minimum is { } min ? min + (schema.ExclusiveMinimum ? 1 : 0) : 1;
                number = schema.Maximum is { } max ? Math.Min(number, max) : number;
                return schema.Type == "integer" ? JsonValue.Create((long)number) : JsonValue.Create(number);
            case "boolean":
                return JsonValue.Create(true);
            default:
                return PickString(schema);
        }
    }

    private static JsonValue PickString(SchemaNode schema)
    {
        foreach (var candidate in StringCandidates)
        {
            var value = JsonValue.Create(candidate);
            var problems = new List<string>();
            StructuralValidator.Validate(value, schema, "", strict: false, problems);
            if (problems.Count == 0)
            {
                return value;
            }
        }

        var length = (int)Math.Max(schema.MinLength ?? 1, 1);
        return JsonValue.Create(new string('a', length));
    }
}
