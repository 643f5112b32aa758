using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// allOf, anyOf, oneOf and not. Their parts constrain the value without declaring all of its fields, so they are
/// checked without the unknown-field rule.
/// </summary>
internal static class SchemaCombinators
{
    public static void Check(JsonNode value, SchemaNode schema, string path, List<string> errors)
    {
        foreach (var part in schema.AllOf)
        {
            StructuralValidator.Validate(value, part, path, strict: false, errors);
        }

        if (schema.AnyOf.Count > 0)
        {
            var outcomes = schema.AnyOf.Select(part => Attempt(value, part, path)).ToList();
            if (outcomes.All(o => o.Count > 0))
            {
                errors.Add($"{JsonPaths.Root(path)}: must match at least one schema in anyOf ({string.Join("; or ", outcomes.Select(o => o[0]))})");
            }
        }

        if (schema.OneOf.Count > 0)
        {
            var outcomes = schema.OneOf.Select(part => Attempt(value, part, path)).ToList();
            var matching = outcomes.Count(o => o.Count == 0);
            if (matching != 1)
            {
                var why = matching == 0 ? ": " + string.Join("; or ", outcomes.Select(o => o[0])) : "";
                errors.Add($"{JsonPaths.Root(path)}: must match exactly one schema in oneOf (matches {matching}){why}");
            }
        }

        if (schema.Not is { } not && Attempt(value, not, path).Count == 0)
        {
            errors.Add($"{JsonPaths.Root(path)}: must not match the schema in 'not', got {JsonScalars.Show(value)}");
        }
    }

    private static List<string> Attempt(JsonNode value, SchemaNode part, string path)
    {
        var attempt = new List<string>();
        StructuralValidator.Validate(value, part, path, strict: false, attempt);
        return attempt;
    }
}
