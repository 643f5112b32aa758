using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// A JSON Schema (draft 2020-12) of the values format for editors, written from the binder's own key tables
/// (<see cref="ValuesKeys"/>), so that it cannot say anything the binder does not: the keys of each mapping, their
/// types as the binder reads them, the required ones, the allowed words and number ranges, and each key's description.
/// </summary>
/// <remarks>
/// It describes shape only, as the binder judges it; meaning (names, hostnames, references between keys, the policy)
/// stays with the rules, so a file the schema accepts may still be refused, never the other way round for its shape.
/// The checked-in copy is <c>deploy/schema/values.schema.json</c>; <c>expander schema</c> writes it, and a test fails
/// when the two differ.
/// </remarks>
public static class ValuesSchema
{
    public const string RepositoryPath = "deploy/schema/values.schema.json";

    public static JsonObject Generate()
    {
        var defs = new Definitions();
        var root = Table(ValuesKeys.Root, defs);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "ai-gateway-models values",
        };
        foreach (var (key, value) in root)
        {
            schema[key] = value?.DeepClone();
        }

        var defsNode = new JsonObject();
        foreach (var (name, def) in defs.Schemas)
        {
            defsNode[name] = def;
        }

        schema["$defs"] = defsNode;
        return schema;
    }

    /// <summary>The schema as the checked-in file holds it: two-space indented, a final newline.</summary>
    public static string Write() =>
        Generate().ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,

            // a file for people and editors, never for HTML: "the chart's", not "the chart\u0027s"
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(),
        }).ReplaceLineEndings("\n") + "\n";

    private static JsonObject Table(KeyTable table, Definitions defs)
    {
        var properties = new JsonObject();
        foreach (var field in table.Fields)
        {
            var property = Type(field.Type, defs, inList: false);
            property["description"] = field.Description;
            properties[field.Name] = property;
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["description"] = table.Description,
            ["properties"] = properties,
        };
        var required = table.Fields.Where(f => f.Required).Select(f => (JsonNode?)JsonValue.Create(f.Name)).ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required);
        }

        if (table.ExtensionKeys)
        {
            // x- keys hold anchors and are otherwise ignored: anything goes there
            schema["patternProperties"] = new JsonObject { ["^" + KeyTable.ExtensionPrefix] = new JsonObject() };
        }

        schema["additionalProperties"] = false;
        return schema;
    }

    private static JsonObject Type(KeyType type, Definitions defs, bool inList)
    {
        switch (type)
        {
            case ObjectType o:
                if (defs.Add(o.Table))
                {
                    defs.Schemas[o.Table.Name] = Table(o.Table, defs);
                }

                return new JsonObject { ["$ref"] = "#/$defs/" + o.Table.Name };
            case MapType m:
                var map = new JsonObject
                {
                    ["type"] = "object",
                    ["propertyNames"] = new JsonObject { ["description"] = m.KeysAre },
                    ["additionalProperties"] = Type(m.Values, defs, inList: false),
                };
                if (m.MaxEntries != int.MaxValue)
                {
                    map["maxProperties"] = m.MaxEntries;
                }

                return map;
            case ListType l:
                var list = new JsonObject { ["type"] = "array", ["items"] = Type(l.Items, defs, inList: true) };
                if (l.MaxItems != int.MaxValue)
                {
                    list["maxItems"] = l.MaxItems;
                }

                return list;
            case ScalarType s:
                return Scalar(s, inList);
            default:
                throw new InvalidOperationException("unknown key type " + type.GetType().Name);
        }
    }

    /// <summary>Each kind as <see cref="MappingReader"/> reads it.</summary>
    private static JsonObject Scalar(ScalarType s, bool inList)
    {
        var schema = s.Kind switch
        {
            // a list of strings takes any single value (MappingReader.StringList keeps its text)
            ScalarKind.Text when inList => AnyScalar(),
            ScalarKind.Text or ScalarKind.Duration => new JsonObject { ["type"] = "string" },
            ScalarKind.Number => new JsonObject { ["type"] = "integer" },
            ScalarKind.Amount => new JsonObject { ["type"] = "number" },
            ScalarKind.Boolean => new JsonObject { ["type"] = "boolean" },

            // label and annotation values: a plain 5 or true is kept as the text it is written as
            ScalarKind.AnyScalar => AnyScalar(),
            _ => throw new InvalidOperationException("unknown scalar kind " + s.Kind),
        };
        if (s.OneOf is { } words)
        {
            schema["enum"] = new JsonArray([.. words.Select(w => (JsonNode?)JsonValue.Create(w))]);
        }

        if (s.Minimum is { } min)
        {
            schema["minimum"] = min;
        }

        if (s.Maximum is { } max)
        {
            schema["maximum"] = max;
        }

        return schema;
    }

    /// <summary>One definition per key table, named after it; two tables of one name would be a mistake in the tables.</summary>
    private sealed class Definitions
    {
        private readonly Dictionary<string, KeyTable> tables = new(StringComparer.Ordinal);

        public SortedDictionary<string, JsonObject> Schemas { get; } = new(StringComparer.Ordinal);

        /// <summary>True the first time <paramref name="table"/> is reached.</summary>
        public bool Add(KeyTable table)
        {
            if (tables.TryGetValue(table.Name, out var known))
            {
                return ReferenceEquals(known, table) ? false : throw new InvalidOperationException($"two key tables are named {table.Name}; the schema names its definitions after them");
            }

            tables[table.Name] = table;
            return true;
        }
    }

    private static JsonObject AnyScalar() => new() { ["type"] = new JsonArray("string", "number", "boolean") };
}
