using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// The OpenAPI part of CRD validation: types, unknown fields, required, enum, pattern, lengths, bounds, item and
/// property counts, formats, list-type uniqueness and allOf/anyOf/oneOf/not. Errors read
/// <c>spec.rules[0].backendRefs[1].weight: must be &gt;= 0</c>.
/// </summary>
internal static class StructuralValidator
{
    /// <summary>Starts the message of a type error, which (as in the apiserver) stops CEL rules from being run.</summary>
    public const string TypeErrorMarker = "must be of type";

    /// <summary>Validates a whole custom resource; metadata is checked elsewhere, except the schema's own constraints on name.</summary>
    public static void ValidateRoot(JsonObject obj, SchemaNode schema, List<string> errors)
    {
        foreach (var (key, value) in obj)
        {
            if (key == "metadata")
            {
                ValidateMetadataNames(value as JsonObject, schema.PropertySchema("metadata"), errors);
            }
            else if (key is not ("apiVersion" or "kind"))
            {
                ValidateProperty(schema, key, value, "", strict: true, errors);
            }
        }

        CheckObjectKeywords(obj, schema, "", errors);
    }

    public static void Validate(JsonNode? value, SchemaNode schema, string path, bool strict, List<string> errors)
    {
        if (value is null)
        {
            if (!schema.Nullable && (schema.Type is not null || schema.IntOrString))
            {
                errors.Add($"{path}: {TypeErrorMarker} {Expected(schema)}, got null");
            }

            return;
        }

        if (!HasExpectedType(value, schema))
        {
            errors.Add($"{path}: {TypeErrorMarker} {Expected(schema)}, got {Describe(value)} {JsonScalars.Show(value)}");
            return;
        }

        if (schema.Enum is { } allowed && !allowed.Any(a => JsonScalars.JsonEquals(a, value)))
        {
            errors.Add($"{path}: must be one of [{string.Join(", ", allowed.Select(JsonScalars.Show))}], got {JsonScalars.Show(value)}");
        }

        switch (value)
        {
            case JsonObject obj:
                if (!schema.PreserveUnknownFields || schema.Properties.Count > 0)
                {
                    foreach (var (key, child) in obj)
                    {
                        ValidateProperty(schema, key, child, path, strict, errors);
                    }
                }

                CheckObjectKeywords(obj, schema, path, errors);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, strict, errors);
                break;
            default:
                ScalarConstraints.Check(value, schema, path, errors);
                break;
        }

        SchemaCombinators.Check(value, schema, path, errors);
    }

    private static void ValidateProperty(SchemaNode schema, string key, JsonNode? child, string path, bool strict, List<string> errors)
    {
        if (schema.Properties.TryGetValue(key, out var property))
        {
            Validate(child, property, JsonPaths.Join(path, key), strict, errors);
        }
        else if (schema.AdditionalProperties is { } values)
        {
            Validate(child, values, $"{path}[{key}]", strict, errors);
        }
        else if (strict && !schema.PreserveUnknownFields && !schema.AdditionalPropertiesAllowed)
        {
            var known = schema.Properties.Count == 0 ? "no fields are declared" : "declared: " + string.Join(", ", schema.Properties.Keys.Order(StringComparer.Ordinal));
            errors.Add($"{JsonPaths.Join(path, key)}: unknown field \"{key}\" ({known})");
        }
    }

    private static void ValidateMetadataNames(JsonObject? metadata, SchemaNode? schema, List<string> errors)
    {
        if (metadata is null || schema is null)
        {
            return;
        }

        foreach (var name in new[] { "name", "generateName" })
        {
            if (metadata[name] is { } value && schema.Properties.TryGetValue(name, out var property))
            {
                Validate(value, property, "metadata." + name, strict: false, errors);
            }
        }
    }

    private static void CheckObjectKeywords(JsonObject obj, SchemaNode schema, string path, List<string> errors)
    {
        foreach (var required in schema.Required.Where(r => !obj.ContainsKey(r)))
        {
            errors.Add($"{JsonPaths.Join(path, required)}: Required value");
        }

        if (schema.MinProperties is { } min && obj.Count < min)
        {
            errors.Add($"{JsonPaths.Root(path)}: must have at least {min} properties (has {obj.Count})");
        }

        if (schema.MaxProperties is { } max && obj.Count > max)
        {
            errors.Add($"{JsonPaths.Root(path)}: must have at most {max} properties (has {obj.Count})");
        }
    }

    private static void CheckArray(JsonArray array, SchemaNode schema, string path, bool strict, List<string> errors)
    {
        if (schema.MinItems is { } min && array.Count < min)
        {
            errors.Add($"{path}: must have at least {min} items (has {array.Count})");
        }

        if (schema.MaxItems is { } max && array.Count > max)
        {
            errors.Add($"{path}: must have at most {max} items (has {array.Count})");
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", strict, errors);
            }
        }

        ListUniqueness.Check(array, schema, path, errors);
    }

    private static bool HasExpectedType(JsonNode value, SchemaNode schema)
    {
        var kind = value.GetValueKind();
        if (schema.IntOrString)
        {
            return kind == JsonValueKind.String || (kind == JsonValueKind.Number && JsonScalars.IsIntegral(value));
        }

        return schema.Type switch
        {
            null => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && JsonScalars.IsIntegral(value),
            "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
    }

    private static string Expected(SchemaNode schema) => schema.IntOrString ? "integer or string" : schema.Type ?? "any";

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => JsonScalars.IsIntegral(value) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

}
