namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// A parsed YAML node with its source position. Our own small tree instead of YamlDotNet's representation model,
/// because it is built under limits (depth, size, alias expansion, duplicate keys) that the stock loader does not enforce.
/// </summary>
public abstract class YNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Nodes in this subtree, counting each alias expansion again: what a naive consumer would materialise.</summary>
    public abstract long Weight { get; }

    public abstract string KindName { get; }
}

public sealed class YScalar(string value, bool quoted, string? tag, int line, int column) : YNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Quoted (or block) scalars are always strings; plain ones are typed by the YAML 1.2 core schema.</summary>
    public bool Quoted { get; } = quoted;

    public string? Tag { get; } = tag;

    public override long Weight => 1;

    public override string KindName => ScalarTyping.Describe(this);
}

public sealed class YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, long weight, int line, int column)
    : YNode(line, column)
{
    // An array, whatever the builder handed in: lookups are the binder's innermost loop, and an array is indexed
    // without an interface call.
    private readonly KeyValuePair<YScalar, YNode>[] entries = entries as KeyValuePair<YScalar, YNode>[] ?? [.. entries];

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => entries;

    public override long Weight { get; } = weight;

    public override string KindName => "a mapping";

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
}

public sealed class YSequence(IReadOnlyList<YNode> items, long weight, int line, int column) : YNode(line, column)
{
    public IReadOnlyList<YNode> Items { get; } = items as YNode[] ?? [.. items];

    public override long Weight { get; } = weight;

    public override string KindName => "a list";
}
