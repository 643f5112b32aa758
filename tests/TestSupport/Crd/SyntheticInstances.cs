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

    /// <summary>
    /// The values a rule is tried on: the full and the minimal value; for an object also the minimal value plus
    /// each optional field, the full value without it, and both with each string field set to each string literal
    /// of the node's rules that the field accepts (so that comparisons in the rules go both ways).
    /// </summary>
    public static IEnumerable<(string Name, JsonNode? Value)> Variants(SchemaNode schema)
    {
        yield return ("full value", Build(schema, full: true));
        yield return ("minimal value", Build(schema, full: false));
        if (schema.Type != "object")
        {
            yield break;
        }

        foreach (var (name, property) in schema.Properties.Where(p => !schema.Required.Contains(p.Key)))
        {
            yield return ($"minimal value plus {name}", Edited(schema, full: false, o => o[name] = Synthesize(property, full: true)));
            yield return ($"full value without {name}", Edited(schema, full: true, o => o.Remove(name)));
        }

        var literals = schema.Rules.SelectMany(r => StringLiterals(r.Rule)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (name, property) in schema.Properties.Where(p => p.Value.Type == "string"))
        {
            foreach (var literal in literals.Where(l => Accepts(property, l)))
            {
                yield return ($"minimal value plus {name}='{literal}'", Edited(schema, full: false, o => o[name] = literal));
                yield return ($"full value with {name}='{literal}'", Edited(schema, full: true, o => o[name] = literal));
            }
        }
    }

    private static JsonObject Edited(SchemaNode schema, bool full, Action<JsonObject> edit)
    {
        var obj = (JsonObject)Synthesize(schema, full)!;
        edit(obj);
        StructuralDefaulter.Apply(obj, schema);
        return obj;
    }

    private static IEnumerable<string> StringLiterals(string rule)
    {
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(rule, @"'([^'\\]*)'|""([^""\\]*)"""))
        {
            yield return m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        }
    }

    private static bool Accepts(SchemaNode schema, string value)
    {
        var problems = new List<string>();
        StructuralValidator.Validate(JsonValue.Create(value), schema, "", strict: false, problems);
        return problems.Count == 0;
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
