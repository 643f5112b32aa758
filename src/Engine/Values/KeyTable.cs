namespace AiGatewayModels.Engine.Values;

/// <summary>What a scalar field holds, as the binder reads it.</summary>
public enum ScalarKind
{
    Text,

    /// <summary>A string the rules read as a duration (<c>30s</c>) or window (<c>Minute</c>); a bare number is refused.</summary>
    Duration,

    Number,

    /// <summary>An exact decimal (a price, an amount of money), read from the scalar's text and never through a binary float.</summary>
    Amount,

    Boolean,

    /// <summary>Any scalar, kept as its text: label and annotation values, where a plain <c>5</c> or <c>true</c> means text.</summary>
    AnyScalar,
}

/// <summary>The type of a field: a scalar, a mapping with known keys, a mapping with user-chosen keys, or a list.</summary>
public abstract record KeyType;

public sealed record ScalarType(ScalarKind Kind, IReadOnlyList<string>? OneOf = null, long? Minimum = null, long? Maximum = null) : KeyType;

/// <summary>A mapping whose keys are those of <see cref="Table"/>.</summary>
public sealed record ObjectType(KeyTable Table) : KeyType;

/// <summary>
/// A mapping whose keys the user chooses (<see cref="KeysAre"/>: backend names, model names, label keys), with at most
/// <see cref="MaxEntries"/> of them (<see cref="ValuesBounds"/>; the binder reads the bound from here).
/// </summary>
public sealed record MapType(KeyType Values, string KeysAre, int MaxEntries = int.MaxValue) : KeyType;

/// <summary>A list of at most <see cref="MaxItems"/> items (<see cref="ValuesBounds"/>; the binder reads the bound from here).</summary>
public sealed record ListType(KeyType Items, int MaxItems = int.MaxValue) : KeyType;

/// <summary>One key of a mapping: its type, whether the binder requires it, and what it means (for editors).</summary>
public sealed record KeyField(string Name, KeyType Type, string Description, bool Required = false);

/// <summary>
/// The keys of one mapping of the values. The binder reads a mapping only through its table (unknown keys, the type
/// each getter reads, required fields: <see cref="MappingReader"/> checks every access against it), so that a JSON
/// Schema for editors generated from the same tables (<see cref="ValuesSchema"/>) cannot drift from the binder.
/// </summary>
public sealed class KeyTable
{
    private readonly Dictionary<string, KeyField>? byName;

    private KeyTable(string name, string description, IReadOnlyList<KeyField> fields, IReadOnlyList<string> names, bool extensionKeys)
    {
        Name = name;
        Description = description;
        Fields = fields;
        Names = names;
        ExtensionKeys = extensionKeys;
        byName = fields.Count == 0 ? null : fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public KeyTable(string name, string description, params KeyField[] fields)
        : this(name, description, fields, [.. fields.Select(f => f.Name)], extensionKeys: false)
    {
    }

    /// <summary>The schema's name for this table (<c>$defs</c>) and the word messages use for it.</summary>
    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<KeyField> Fields { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>True when keys starting with <c>x-</c> are free (Docker Compose's convention): homes for anchors, otherwise ignored.</summary>
    public bool ExtensionKeys { get; private init; }

    /// <summary>Whether the fields have types to check (the policy's tables only list names).</summary>
    public bool IsTyped => byName is not null;

    public const string ExtensionPrefix = "x-";

    /// <summary>The same table, with <c>x-</c> keys allowed.</summary>
    public KeyTable WithExtensionKeys() => new(Name, Description, Fields, Names, extensionKeys: true);

    /// <summary>A table of names only, for documents that have no schema of their own (the policy).</summary>
    public static KeyTable Untyped(string name, params string[] names) => new(name, string.Empty, [], names, extensionKeys: false);

    public bool IsExtensionKey(string key) => ExtensionKeys && key.StartsWith(ExtensionPrefix, StringComparison.Ordinal);

    /// <summary>The field <paramref name="key"/>; throws when the table has no such key, which is a binder bug.</summary>
    public KeyField? Field(string key)
    {
        if (byName is null)
        {
            return null;
        }

        return byName.TryGetValue(key, out var field)
            ? field
            : throw new InvalidOperationException($"the binder reads {key} from {Name}, whose key table has no such key");
    }

    public override string ToString() => string.Join(", ", Names);
}
