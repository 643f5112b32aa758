using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiGatewayModels.Engine.Yaml;

/// <summary>The outcome of reading one YAML document: a tree, or the reasons there is none.</summary>
public sealed record YamlReadResult(YNode? Root, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Ok => Root is not null && Diagnostics.Count == 0;
}

/// <summary>
/// Reads exactly one YAML document into a <see cref="YNode"/> tree under <see cref="YamlLimits"/>.
/// Duplicate keys, non-scalar keys, custom tags and more than one document are errors, never silently merged.
/// </summary>
public static class BoundedYamlReader
{
    private const string StandardTagPrefix = "tag:yaml.org,2002:";

    /// <summary>The scalar tags of the core schema; any other (<c>!!binary</c>, <c>!!python/object:…</c>, <c>!secret</c>) is refused.</summary>
    private static readonly HashSet<string> CoreScalarTags =
        new[] { "str", "int", "bool", "null", "float" }.Select(t => StandardTagPrefix + t).ToHashSet(StringComparer.Ordinal);

    public static YamlReadResult Read(string text, string what, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (System.Text.Encoding.UTF8.GetByteCount(text) > limits.MaxBytes)
        {
            return Fail(string.Empty, $"{what} is larger than {limits.MaxBytes} bytes, the most a ConfigMap can hold; split the values into several ConfigMaps");
        }

        if (limits.UseBlockParser && BlockYamlParser.TryRead(text, limits) is { } root)
        {
            return new YamlReadResult(root, []);
        }

        var state = new State(new Parser(new StringReader(text)), limits, what);
        try
        {
            return state.ReadSingleDocument();
        }
        catch (YamlException ex)
        {
            return Fail(state.CurrentPath, $"{what} is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {Describe(ex)}");
        }
        catch (LimitExceededException ex)
        {
            return Fail(ex.Path, ex.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for some broken flow collections
            // (aaubry/YamlDotNet#541), e.g. "{a: 1, b: 2" followed by "c: 3" on the next line.
            var at = state.LastGoodPosition;
            return Fail(state.CurrentPath, $"{what} is not valid YAML after line {at.Line}, column {at.Column}: the parser could not go on; an unclosed [ or {{ or a missing comma is the usual cause");
        }
    }

    private static YamlReadResult Fail(string path, string message) => new(null, [Diagnostic.Error(path, message)]);

    // YamlDotNet puts the position in front of its message; we give the position ourselves.
    private static string Describe(YamlException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line:", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }

    private sealed class LimitExceededException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

    private sealed class State(IParser parser, YamlLimits limits, string what)
    {
        private readonly Dictionary<string, YNode> anchors = new(StringComparer.Ordinal);
        private readonly List<Diagnostic> diagnostics = [];

        private readonly PathTrail trail = new();
        private int aliases;
        private long nodes;

        public string CurrentPath => trail.ToString();

        /// <summary>Where the last event the parser produced ended.</summary>
        public Mark LastGoodPosition => parser.Current?.End ?? Mark.Empty;

        public YamlReadResult ReadSingleDocument()
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return Fail(string.Empty, $"{what} is empty; it needs at least gatewayRef, backends and models");
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(1);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current;
                return Fail(string.Empty, $"{what} holds more than one YAML document (another starts at line {next?.Start.Line}); put all values in one document");
            }

            return new YamlReadResult(diagnostics.Count == 0 ? root : null, diagnostics);
        }

        private YNode ReadNode(int depth)
        {
            if (depth > limits.MaxDepth)
            {
                throw new LimitExceededException(CurrentPath, $"{what} nests deeper than {limits.MaxDepth} levels; the values format needs far fewer, so this is not a values document");
            }

            var ev = parser.Current ?? throw new YamlException("unexpected end of input");
            switch (ev)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return ResolveAlias(alias);
                case Scalar scalar:
                    parser.MoveNext();
                    Count(1);
                    return Remember(scalar.Anchor, ReadScalar(scalar));
                case SequenceStart seq:
                    parser.MoveNext();
                    CheckTag(seq.Tag, "tag:yaml.org,2002:seq");
                    return Remember(seq.Anchor, ReadSequence(seq, depth));
                case MappingStart map:
                    parser.MoveNext();
                    CheckTag(map.Tag, "tag:yaml.org,2002:map");
                    return Remember(map.Anchor, ReadMapping(map, depth));
                default:
                    throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
            }
        }

        private YSequence ReadSequence(SequenceStart start, int depth)
        {
            var items = new List<YNode>();
            long weight = 1;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                trail.PushIndex(items.Count);
                var item = ReadNode(depth + 1);
                trail.Pop();
                items.Add(item);
                weight += item.Weight;
            }

            Count(1);
            return new YSequence(items, weight, (int)start.Start.Line, (int)start.Start.Column);
        }

        private YMapping ReadMapping(MappingStart start, int depth)
        {
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            Dictionary<string, YScalar>? index = null;
            long weight = 1;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                if (keyEvent is not Scalar keyScalar)
                {
                    var line = keyEvent?.Start.Line ?? 0;
                    throw new LimitExceededException(CurrentPath, $"a mapping key at line {line} is not a plain string; keys in {what} must be names");
                }

                var key = ReadScalar(keyScalar);

                // From here on a parse error, while fetching the value too, belongs to this key.
                trail.PushKey(key.Value);
                parser.MoveNext();
                if (FirstWithKey(entries, ref index, key.Value) is { } first)
                {
                    diagnostics.Add(Diagnostic.Error(CurrentPath,
                        $"duplicate key {Shown.Value(key.Value)} at line {key.Line} (first at line {first.Line}); YAML would silently keep only one, so remove or rename one of them"));
                }

                var value = ReadNode(depth + 1);
                trail.Pop();
                entries.Add(new KeyValuePair<YScalar, YNode>(key, value));
                index?.TryAdd(key.Value, key);
                weight += value.Weight + 1;
            }

            Count(1);
            return new YMapping(entries, weight, (int)start.Start.Line, (int)start.Start.Column);
        }

        // Values mappings hold a handful of keys, where a scan beats allocating a dictionary per mapping; past
        // SmallMapping keys an index takes over, so a mapping with thousands of keys stays linear.
        private const int SmallMapping = 16;

        private static YScalar? FirstWithKey(List<KeyValuePair<YScalar, YNode>> entries, ref Dictionary<string, YScalar>? index, string key)
        {
            if (index is null && entries.Count >= SmallMapping)
            {
                index = new Dictionary<string, YScalar>(StringComparer.Ordinal);
                foreach (var (k, _) in entries)
                {
                    index.TryAdd(k.Value, k);
                }
            }

            if (index is not null)
            {
                return index.GetValueOrDefault(key);
            }

            foreach (var (k, _) in entries)
            {
                if (string.Equals(k.Value, key, StringComparison.Ordinal))
                {
                    return k;
                }
            }

            return null;
        }

        private YScalar ReadScalar(Scalar scalar)
        {
            string? tag = null;
            if (!scalar.Tag.IsEmpty && scalar.Tag.Value != "!")
            {
                tag = scalar.Tag.Value;
                if (!CoreScalarTags.Contains(tag))
                {
                    throw new LimitExceededException(CurrentPath, $"custom YAML tag {tag} at line {scalar.Start.Line} is not allowed; remove the tag");
                }
            }

            var quoted = scalar.Style != ScalarStyle.Plain || tag == StandardTagPrefix + "str";
            return new YScalar(scalar.Value, quoted, quoted ? null : tag, (int)scalar.Start.Line, (int)scalar.Start.Column);
        }

        private void CheckTag(TagName tag, string expected)
        {
            if (!tag.IsEmpty && tag.Value != expected && tag.Value != "!")
            {
                throw new LimitExceededException(CurrentPath, $"YAML tag {tag.Value} is not allowed here; remove the tag");
            }
        }

        private YNode ResolveAlias(AnchorAlias alias)
        {
            if (++aliases > limits.MaxAliases)
            {
                throw new LimitExceededException(CurrentPath, $"{what} uses more than {limits.MaxAliases} YAML aliases; write the values out instead");
            }

            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new LimitExceededException(CurrentPath, $"YAML alias *{alias.Value.Value} at line {alias.Start.Line} refers to no anchor defined before it");
            }

            Count(target.Weight);
            return target;
        }

        private YNode Remember(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }

            return node;
        }

        private void Count(long weight)
        {
            nodes += weight;
            if (nodes > limits.MaxNodes)
            {
                throw new LimitExceededException(CurrentPath, string.Create(CultureInfo.InvariantCulture,
                    $"{what} expands to more than {limits.MaxNodes} YAML nodes (aliases included); this looks like an alias bomb, not values"));
            }
        }
    }
}
