namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// A parsed YAML node with its source position. Our own small tree instead of YamlDotNet's representation model,
/// because it is built under limits (depth, size, alias expansion, duplicate keys) that the stock loader does not enforce.
/// </summary>
/// <remarks>
/// A node reached through an alias is the anchored node itself, shared: its <see cref="Line"/> is where the anchor
/// was written. Where it is used is recorded on the mapping entry or list item that holds it (<see cref="YOrigin"/>),
/// so that a finding can name both places.
/// </remarks>
public abstract class YNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Nodes in this subtree, counting each alias expansion again: what a naive consumer would materialise.</summary>
    public abstract long Weight { get; }

    /// <summary>Characters of every key and scalar in this subtree, each alias expansion counted again.</summary>
    public abstract long Bytes { get; }

    /// <summary>Levels of this subtree: 1 for a scalar, one more than its deepest child for a collection.</summary>
    public abstract int Height { get; }

    public abstract string KindName { get; }
}

public sealed class YScalar(string value, bool quoted, string? tag, int line, int column) : YNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Quoted (or block) scalars are always strings; plain ones are typed by the YAML 1.2 core schema.</summary>
    public bool Quoted { get; } = quoted;

    public string? Tag { get; } = tag;

    public override long Weight => 1;

    public override long Bytes => Value.Length;

    public override int Height => 1;

    public override string KindName => ScalarTyping.Describe(this);
}

public sealed class YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, long weight, int line, int column)
    : YNode(line, column)
{
    // An array, whatever the builder handed in: lookups are the binder's innermost loop, and an array is indexed
    // without an interface call.
    private readonly KeyValuePair<YScalar, YNode>[] entries = entries as KeyValuePair<YScalar, YNode>[] ?? [.. entries];
    private readonly YOrigin?[]? origins;
    private long bytes = -1;
    private int height;

    /// <summary>A mapping some of whose entries came from elsewhere: an alias, a merge key, another values file.</summary>
    public YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, long weight, int line, int column, YOrigin?[]? origins)
        : this(entries, weight, line, column)
    {
        this.origins = origins is null || Array.TrueForAll(origins, o => o is null) ? null : origins;
    }

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => entries;

    public override long Weight { get; } = weight;

    // Computed on first use: only alias and merge expansion and the layering of values files ask, once per node.
    public override long Bytes => bytes >= 0 ? bytes : bytes = entries.Sum(e => e.Key.Value.Length + e.Value.Bytes);

    public override int Height => height > 0 ? height : height = 1 + (entries.Length == 0 ? 0 : entries.Max(e => e.Value.Height));

    public override string KindName => "a mapping";

    /// <summary>True when an entry of this mapping came from elsewhere (see <see cref="OriginOf"/>).</summary>
    public bool HasOrigins => origins is not null;

    /// <summary>Where entry <paramref name="index"/> came from, when not simply from where it is written.</summary>
    public YOrigin? OriginOf(int index) => origins?[index];

    public YNode? Get(string key)
    {
        foreach (var entry in entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>The index of <paramref name="key"/>'s entry, or -1.</summary>
    public int IndexOf(string key)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Key.Value == key)
            {
                return i;
            }
        }

        return -1;
    }
}

public sealed class YSequence(IReadOnlyList<YNode> items, long weight, int line, int column) : YNode(line, column)
{
    private readonly YOrigin?[]? origins;
    private long bytes = -1;
    private int height;

    /// <summary>A list some of whose items came from elsewhere (an alias, another values file).</summary>
    public YSequence(IReadOnlyList<YNode> items, long weight, int line, int column, YOrigin?[]? origins)
        : this(items, weight, line, column)
    {
        this.origins = origins is null || Array.TrueForAll(origins, o => o is null) ? null : origins;
    }

    public IReadOnlyList<YNode> Items { get; } = items as YNode[] ?? [.. items];

    public override long Weight { get; } = weight;

    public override long Bytes => bytes >= 0 ? bytes : bytes = Items.Sum(i => i.Bytes);

    public override int Height => height > 0 ? height : height = 1 + (Items.Count == 0 ? 0 : Items.Max(i => i.Height));

    public override string KindName => "a list";

    public bool HasOrigins => origins is not null;

    public YOrigin? OriginOf(int index) => origins?[index];
}
