using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>One node of a CRD's openAPIV3Schema, with the keywords the apiserver acts on.</summary>
internal sealed class SchemaNode
{
    private static readonly SchemaNode[] None = [];

    public string? Type { get; private init; }
    public string? Format { get; private init; }
    public bool Nullable { get; private init; }
    public bool IntOrString { get; private init; }
    public bool PreserveUnknownFields { get; private init; }
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; private init; } = new Dictionary<string, SchemaNode>();
    public IReadOnlyList<string> Required { get; private init; } = [];
    public SchemaNode? Items { get; private init; }

    /// <summary>The schema of values under keys that are not in <see cref="Properties"/>, when there is one.</summary>
    public SchemaNode? AdditionalProperties { get; private init; }

    /// <summary><c>additionalProperties: true</c>: any extra key is allowed, with any value.</summary>
    public bool AdditionalPropertiesAllowed { get; private init; }

    public JsonArray? Enum { get; private init; }
    public string? Pattern { get; private init; }
    public long? MinLength { get; private init; }
    public long? MaxLength { get; private init; }
    public double? Minimum { get; private init; }
    public double? Maximum { get; private init; }
    public bool ExclusiveMinimum { get; private init; }
    public bool ExclusiveMaximum { get; private init; }
    public double? MultipleOf { get; private init; }
    public long? MinItems { get; private init; }
    public long? MaxItems { get; private init; }
    public bool UniqueItems { get; private init; }
    public long? MinProperties { get; private init; }
    public long? MaxProperties { get; private init; }
    public string? ListType { get; private init; }
    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];
    public IReadOnlyList<SchemaNode> AllOf { get; private init; } = None;
    public IReadOnlyList<SchemaNode> AnyOf { get; private init; } = None;
    public IReadOnlyList<SchemaNode> OneOf { get; private init; } = None;
    public SchemaNode? Not { get; private init; }
    public JsonNode? Default { get; private init; }
    public IReadOnlyList<CelRule> Rules { get; private init; } = [];

    public static SchemaNode Parse(JsonObject json)
    {
        var additional = json["additionalProperties"];
        return new SchemaNode
        {
            Type = Text(json, "type"),
            Format = Text(json, "format"),
            Nullable = Flag(json, "nullable"),
            IntOrString = Flag(json, "x-kubernetes-int-or-string"),
            PreserveUnknownFields = Flag(json, "x-kubernetes-preserve-unknown-fields"),
            Properties = json["properties"] is JsonObject props
                ? props.ToDictionary(p => p.Key, p => Parse(AsObject(p.Value, p.Key)), StringComparer.Ordinal)
                : new Dictionary<string, SchemaNode>(),
            Required = Strings(json, "required"),
            Items = json["items"] is JsonObject items ? Parse(items) : null,
            AdditionalProperties = additional is JsonObject extra ? Parse(extra) : null,
            AdditionalPropertiesAllowed = additional is JsonValue allowed && allowed.TryGetValue(out bool yes) && yes,
            Enum = json["enum"] as JsonArray,
            Pattern = Text(json, "pattern"),
            MinLength = Integer(json, "minLength"),
            MaxLength = Integer(json, "maxLength"),
            Minimum = Number(json, "minimum"),
            Maximum = Number(json, "maximum"),
            ExclusiveMinimum = Flag(json, "exclusiveMinimum"),
            ExclusiveMaximum = Flag(json, "exclusiveMaximum"),
            MultipleOf = Number(json, "multipleOf"),
            MinItems = Integer(json, "minItems"),
            MaxItems = Integer(json, "maxItems"),
            UniqueItems = Flag(json, "uniqueItems"),
            MinProperties = Integer(json, "minProperties"),
            MaxProperties = Integer(json, "maxProperties"),
            ListType = Text(json, "x-kubernetes-list-type"),
            ListMapKeys = Strings(json, "x-kubernetes-list-map-keys"),
            AllOf = Schemas(json, "allOf"),
            AnyOf = Schemas(json, "anyOf"),
            OneOf = Schemas(json, "oneOf"),
            Not = json["not"] is JsonObject not ? Parse(not) : null,
            Default = json["default"]?.DeepClone(),
            Rules = json["x-kubernetes-validations"] is JsonArray rules
                ? rules.Select(r => CelRule.Parse(AsObject(r, "x-kubernetes-validations"))).ToArray()
                : [],
        };
    }

    /// <summary>The schema of the value under <paramref name="key"/> of an object, or null when the key is not declared.</summary>
    public SchemaNode? PropertySchema(string key) =>
        Properties.TryGetValue(key, out var declared) ? declared : AdditionalProperties;

    /// <summary>Whether an object with this schema may hold a key that <see cref="Properties"/> does not declare.</summary>
    public bool AllowsUndeclaredKeys => PreserveUnknownFields || AdditionalPropertiesAllowed || AdditionalProperties is not null;

    private static JsonObject AsObject(JsonNode? node, string where) =>
        node as JsonObject ?? throw new InvalidDataException($"schema keyword {where}: expected an object");

    private static string? Text(JsonObject json, string key) => json[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool Flag(JsonObject json, string key) => json[key] is JsonValue v && v.TryGetValue(out bool b) && b;

    private static long? Integer(JsonObject json, string key) => json[key] is JsonValue v && v.TryGetValue(out long l) ? l : null;

    private static double? Number(JsonObject json, string key) =>
        json[key] is JsonValue v ? (v.TryGetValue(out long l) ? l : v.TryGetValue(out double d) ? d : null) : null;

    private static string[] Strings(JsonObject json, string key) =>
        json[key] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];

    private static SchemaNode[] Schemas(JsonObject json, string key) =>
        json[key] is JsonArray a ? a.Select(x => Parse(AsObject(x, key))).ToArray() : None;
}

/// <summary>One <c>x-kubernetes-validations</c> entry.</summary>
internal sealed record CelRule(string Rule, string? Message, string? MessageExpression, string? FieldPath, string? Reason)
{
    /// <summary>A transition rule compares with the previous object; with no previous object it is skipped.</summary>
    public bool IsTransitionRule => Rule.Contains("oldSelf", StringComparison.Ordinal);

    public static CelRule Parse(JsonObject json) => new(
        json["rule"]?.GetValue<string>() ?? throw new InvalidDataException("x-kubernetes-validations entry without rule"),
        json["message"]?.GetValue<string>(),
        json["messageExpression"]?.GetValue<string>(),
        json["fieldPath"]?.GetValue<string>(),
        json["reason"]?.GetValue<string>());
}
