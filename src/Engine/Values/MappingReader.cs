using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Reads the fields of one YAML mapping with a fixed set of known keys: reports unknown keys (with a suggestion),
/// missing required fields and wrong types at their paths, and hands back typed values or null.
/// </summary>
internal sealed class MappingReader
{
    // The YAML reader resolves merge keys; a "<<" that reaches the binder was quoted, which makes it an ordinary key.
    private const string MergeKey = "<<";
    private const string QuotedMergeKeyMessage = "a quoted \"<<\" is an ordinary key, not a merge key; write <<: without quotes to merge a mapping here";

    private readonly YMapping map;
    private readonly KeyTable table;
    private readonly DiagnosticBag bag;
    private readonly string parentPath;
    private readonly string? key;
    private string? path;

    // The path is kept as parent and key until something needs it: most mappings are read without a finding, and
    // spelling every path out cost more than reading the values.
    private MappingReader(YMapping map, string parentPath, string? key, DiagnosticBag bag, KeyTable known)
    {
        this.map = map;
        table = known;
        this.bag = bag;
        this.parentPath = parentPath;
        this.key = key;
        for (var i = 0; i < map.Entries.Count; i++)
        {
            var name = map.Entries[i].Key.Value;
            if (!known.Names.Contains(name) && !known.IsExtensionKey(name))
            {
                ReportUnknownKey(ChildPath(name), name, known, bag);
            }
        }
    }

    public string Path => path ??= key is null ? parentPath : FieldPath.Child(parentPath, key);

    /// <summary>Opens a node as a mapping; reports and returns null when it is something else. An absent node is null silently.</summary>
    public static MappingReader? Open(YNode? node, string path, DiagnosticBag bag, KeyTable known) =>
        Open(node, path, null, bag, known);

    /// <summary>Opens the value of <paramref name="childKey"/> as a mapping, as <see cref="Open(YNode?, string, DiagnosticBag, KeyTable)"/> does.</summary>
    public MappingReader? OpenChild(string childKey, KeyTable known)
    {
        if (table.Field(childKey) is { } field && (field.Type is not ObjectType o || !ReferenceEquals(o.Table, known)))
        {
            throw new InvalidOperationException($"the binder reads {childKey} of {table.Name} as {known.Name}, but its key table says {field.Type}");
        }

        return Open(map.Get(childKey), Path, childKey, bag, known);
    }

    private static MappingReader? Open(YNode? node, string parentPath, string? key, DiagnosticBag bag, KeyTable known)
    {
        switch (node)
        {
            case null:
                return null;
            case YMapping m:
                return new MappingReader(m, parentPath, key, bag, known);
            case YScalar s when ScalarTyping.IsNull(s):
                bag.Error(key is null ? parentPath : FieldPath.Child(parentPath, key), NullMessage(key, $"give it its keys ({known}) as a mapping, or remove it"));
                return null;
            default:
                var path = key is null ? parentPath : FieldPath.Child(parentPath, key);
                bag.Error(path, $"expected a mapping with the keys {known}, got {node.KindName}");
                return null;
        }
    }

    /// <summary>Whether <paramref name="node"/> is written but null: <c>~</c>, <c>null</c> or nothing after the colon.</summary>
    public static bool IsNull(YNode? node) => node is YScalar s && ScalarTyping.IsNull(s);

    /// <summary>
    /// An explicit null is never "not set": Helm users write <c>enabled:</c> meaning something, and taking it for the
    /// default once routed what the chart skipped. Every reader of this class says so, and what to write instead.
    /// </summary>
    private static string NullMessage(string? key, string fix) =>
        $"{(key is null ? "this value" : key)} is null (written as ~, null or nothing after the colon); {fix}";

    /// <summary>Whether <paramref name="key"/> is written in this mapping, whatever its value.</summary>
    public bool Has(string key)
    {
        table.Field(key);
        return map.Get(key) is not null;
    }

    /// <summary>Iterates a mapping whose keys are user-chosen names (backends, models, limits, labels).</summary>
    public static IEnumerable<(string Key, string Path, YNode Value)> Entries(YNode? node, string path, DiagnosticBag bag, string whatKeysAre, int maxEntries = int.MaxValue)
    {
        switch (node)
        {
            case null:
                yield break;
            case YScalar s when ScalarTyping.IsNull(s):
                bag.Error(path, NullMessage(null, $"write {{}} for none, or a mapping of {whatKeysAre}, or remove the key"));
                yield break;
            case YMapping m:
                if (m.Entries.Count > maxEntries)
                {
                    // One finding, and only the first entries judged: the rest would repeat the same findings thousands of times.
                    bag.Error(path, string.Create(CultureInfo.InvariantCulture, $"holds {m.Entries.Count} entries; at most {maxEntries} are allowed here, so only the first {maxEntries} are checked; split the values into several ConfigMaps"));
                }

                for (var i = 0; i < Math.Min(m.Entries.Count, maxEntries); i++)
                {
                    var (key, value) = m.Entries[i];
                    if (key.Value == MergeKey)
                    {
                        // Not a name the user chose: a failed merge key, which would otherwise be judged as a backend or model called "<<".
                        bag.Error(FieldPath.Child(path, key.Value), QuotedMergeKeyMessage);
                        continue;
                    }

                    yield return (key.Value, FieldPath.Child(path, key.Value), value);
                }

                break;
            default:
                bag.Error(path, $"expected a mapping of {whatKeysAre}, got {node.KindName}");
                break;
        }
    }

    public static void ReportUnknownKey(string path, string key, KeyTable known, DiagnosticBag bag)
    {
        if (CredentialDetector.IsCredentialFieldName(key))
        {
            // clientSecret where clientSecretRef is known: most likely the reference under another name, but said the same way
            var reference = known.Names.FirstOrDefault(k => k.Equals(key + "Ref", StringComparison.OrdinalIgnoreCase)) ?? "apiKeySecretRef";
            bag.Error(path, $"a literal credential does not belong in values (the value is withheld here); store it in a Secret and reference it with {reference}: {{name, key}}");
        }
        else if (key == MergeKey)
        {
            bag.Error(path, QuotedMergeKeyMessage);
        }
        else if (ChartReleases.Describe(known, key) is { } earlier)
        {
            bag.Error(path, earlier);
        }
        else
        {
            var extension = known.ExtensionKeys ? $"; a block that only holds anchors goes under a key starting with {KeyTable.ExtensionPrefix}" : string.Empty;
            bag.Error(path, $"unknown key {Shown.Value(key)}{DidYouMean.Suggest(key, known.Names)}; allowed here: {known}{extension}{ChartReleases.Hint(known)}");
        }
    }

    /// <summary>The raw node under <paramref name="key"/>, which must be a key of the table.</summary>
    public YNode? Node(string key)
    {
        table.Field(key);
        return map.Get(key);
    }

    /// <summary>
    /// Holds a getter to the key table: the key must be there, with the type the getter reads and the same
    /// requiredness. A mismatch is the binder's bug, and every test that reads such a key fails on it.
    /// </summary>
    private void Expect(string key, bool required, params ScalarKind[] kinds)
    {
        if (table.Field(key) is not { } field)
        {
            return;
        }

        var kind = field.Type switch
        {
            ScalarType s => (ScalarKind?)s.Kind,
            ListType { Items: ScalarType item } => item.Kind,
            _ => null,
        };
        if (kind is null || !kinds.Contains(kind.Value) || field.Required != required)
        {
            throw new InvalidOperationException($"the binder reads {key} of {table.Name} as {string.Join(" or ", kinds)}{(required ? ", required" : string.Empty)}, but its key table says {field.Type}{(field.Required ? ", required" : string.Empty)}");
        }
    }

    public string ChildPath(string key) => FieldPath.Child(Path, key);

    /// <summary>
    /// How many entries or items <paramref name="key"/> may hold: its key table says (<see cref="ValuesBounds"/>); a
    /// table of names only (the policy's) bounds nothing.
    /// </summary>
    public int Bound(string key) => table.Field(key)?.Type switch
    {
        null => int.MaxValue,
        MapType m => m.MaxEntries,
        ListType l => l.MaxItems,
        var other => throw new InvalidOperationException($"the binder bounds {key} of {table.Name}, but its key table says {other}"),
    };

    public string? String(string key, bool required = false)
    {
        Expect(key, required, ScalarKind.Text, ScalarKind.Duration);
        var node = map.Get(key);
        if (node is null)
        {
            if (required)
            {
                bag.Error(ChildPath(key), $"required field {key} is missing");
            }

            return null;
        }

        if (IsNull(node))
        {
            bag.Error(ChildPath(key), NullMessage(required ? "required field " + key : key, required ? $"write a string: {key}: <text>" : $"write a string ({key}: <text>) or remove the key"));
            return null;
        }

        if (node is YScalar s && ScalarTyping.IsString(s))
        {
            return s.Value;
        }

        var detail = node is YScalar other ? $" {Shown.Value(other.Value)}; quote it if a string is meant" : string.Empty;
        bag.Error(ChildPath(key), $"expected a string, got {node.KindName}{detail}");
        return null;
    }

    /// <summary>
    /// A duration (<c>1m</c>, <c>30s</c>) is a string; a bare number is the usual slip, and "quote it" would be the wrong
    /// advice for it, so the duration's own hint (add a unit) is given instead.
    /// </summary>
    public string? Duration(string key, bool required = false)
    {
        Expect(key, required, ScalarKind.Duration);
        if (IsNull(map.Get(key)))
        {
            bag.Error(ChildPath(key), NullMessage(required ? "required field " + key : key, required ? $"write a duration: {key}: 1m" : $"write a duration ({key}: 30s) or remove the key for the default"));
            return null;
        }

        if (map.Get(key) is YScalar { Quoted: false, Tag: null } s && (ScalarTyping.TryInteger(s, out _) || ScalarTyping.IsFloat(s)))
        {
            bag.Error(ChildPath(key), $"expected a duration, got {s.KindName} {Shown.Value(s.Value)}: {Durations.Problem(s.Value)}");
            return null;
        }

        return String(key, required);
    }

    public long? Integer(string key, bool required = false)
    {
        Expect(key, required, ScalarKind.Number);
        var node = map.Get(key);
        if (node is null)
        {
            if (required)
            {
                bag.Error(ChildPath(key), $"required field {key} is missing");
            }

            return null;
        }

        if (IsNull(node))
        {
            bag.Error(ChildPath(key), NullMessage(required ? "required field " + key : key, required ? $"write a number: {key}: <number>" : $"write a number ({key}: <number>) or remove the key for the default"));
            return null;
        }

        if (node is YScalar big && ScalarTyping.IsOutOfRangeInteger(big))
        {
            bag.Error(ChildPath(key), $"{Shown.Value(big.Value)} is out of range: no {key} is that large or that small");
            return null;
        }

        if (node is YScalar s && ScalarTyping.TryInteger(s, out var value))
        {
            return value;
        }

        var hint = node is YScalar { Quoted: true } q && long.TryParse(q.Value, out _) ? $"; write it without quotes: {key}: {q.Value}" : string.Empty;
        var shown = node is YScalar other ? " " + Shown.Value(other.Value) : string.Empty;
        bag.Error(ChildPath(key), $"expected an integer, got {node.KindName}{shown}{hint}");
        return null;
    }

    /// <summary>
    /// An exact decimal (a price, an amount of money): the scalar's own text, read as a decimal number, never through a
    /// binary floating-point value, so that <c>0.1</c> stays one tenth. Integers and YAML floats are taken.
    /// </summary>
    public decimal? Decimal(string key)
    {
        Expect(key, required: false, ScalarKind.Amount);
        var node = map.Get(key);
        if (node is null)
        {
            return null;
        }

        if (IsNull(node))
        {
            bag.Error(ChildPath(key), NullMessage(key, $"write an amount ({key}: 2.50) or remove the key"));
            return null;
        }

        if (node is YScalar { Quoted: false } s && (ScalarTyping.TryInteger(s, out _) || ScalarTyping.IsFloat(s)))
        {
            if (decimal.TryParse(s.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            bag.Error(ChildPath(key), $"{Shown.Value(s.Value)} cannot be read as an amount; write a plain decimal such as 2.50");
            return null;
        }

        var hint = node is YScalar { Quoted: true } q && decimal.TryParse(q.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? $"; write it without quotes: {key}: {q.Value}"
            : string.Empty;
        var shown = node is YScalar other ? " " + Shown.Value(other.Value) : string.Empty;
        bag.Error(ChildPath(key), $"expected a decimal number, got {node.KindName}{shown}{hint}");
        return null;
    }

    public bool? Bool(string key)
    {
        Expect(key, required: false, ScalarKind.Boolean);
        var node = map.Get(key);
        if (node is null)
        {
            return null;
        }

        if (IsNull(node))
        {
            bag.Error(ChildPath(key), NullMessage(key, $"write {key}: true or {key}: false, or remove the key for the default"));
            return null;
        }

        if (node is YScalar s && ScalarTyping.TryBool(s, out var value))
        {
            return value;
        }

        var shown = node is YScalar other ? " " + Shown.Value(other.Value) : string.Empty;
        bag.Error(ChildPath(key), $"expected true or false, got {node.KindName}{shown}");
        return null;
    }

    public IReadOnlyList<long>? IntegerList(string key)
    {
        Expect(key, required: false, ScalarKind.Number);
        if (Sequence(key, Bound(key)) is not { } seq)
        {
            return null;
        }

        var items = new List<long>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (ScalarItem(seq, key, i) is not { } item)
            {
                continue;
            }

            if (ScalarTyping.TryInteger(item, out var value))
            {
                items.Add(value);
            }
            else if (ScalarTyping.IsOutOfRangeInteger(item))
            {
                bag.Error(FieldPath.Index(ChildPath(key), i), $"{Shown.Value(item.Value)} is out of range");
            }
            else
            {
                bag.Error(FieldPath.Index(ChildPath(key), i), $"expected an integer, got {item.KindName} {Shown.Value(item.Value)}");
            }
        }

        return items;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        Expect(key, required: false, ScalarKind.Text);
        if (Sequence(key, Bound(key)) is not { } seq)
        {
            return null;
        }

        var items = new List<string>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (ScalarItem(seq, key, i) is not { } item)
            {
                continue;
            }

            if (ScalarTyping.IsNull(item))
            {
                bag.Error(FieldPath.Index(ChildPath(key), i), NullMessage(null, "write a string or remove the item"));
            }
            else
            {
                items.Add(item.Value);
            }
        }

        return items;
    }

    /// <summary>The list under <paramref name="key"/>; null when absent or not a list (reported).</summary>
    private YSequence? Sequence(string key, int maxItems)
    {
        var node = map.Get(key);
        switch (node)
        {
            case null:
                return null;
            case YScalar s when ScalarTyping.IsNull(s):
                bag.Error(ChildPath(key), NullMessage(key, $"write {key}: [] for none, or list the items, or remove the key for the default"));
                return null;
            case YSequence seq when seq.Items.Count > maxItems:
                bag.Error(ChildPath(key), string.Create(CultureInfo.InvariantCulture, $"holds {seq.Items.Count} items; at most {maxItems} are allowed here"));
                return null;
            case YSequence seq:
                return seq;
            default:
                bag.Error(ChildPath(key), $"expected a list, got {node.KindName}");
                return null;
        }
    }

    /// <summary>Item <paramref name="index"/> of a list of single values; null, and reported, when it is a list or a mapping.</summary>
    private YScalar? ScalarItem(YSequence seq, string key, int index)
    {
        if (seq.Items[index] is YScalar item)
        {
            return item;
        }

        bag.Error(FieldPath.Index(ChildPath(key), index), $"expected a single value, got {seq.Items[index].KindName}");
        return null;
    }
}
