using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiGatewayModels.Engine.Yaml;

/// <summary>The outcome of reading one YAML document: a tree, or the reasons there is none.</summary>
public sealed record YamlReadResult(YNode? Root, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Ok => Root is not null && Diagnostics.Count == 0;

    /// <summary>Findings about a tree that was read: where go-yaml v2 (Helm) would read a merge key differently.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>True when some value of the tree came through an alias or merge key (see <see cref="YOrigin"/>).</summary>
    public bool HasOrigins { get; init; }

    /// <summary>
    /// True when every key and value of the tree is written in the text as it is (single-line, unescaped: what
    /// <see cref="BlockYamlParser"/> reads), so a scan of the text sees every scalar, with the same boundaries.
    /// </summary>
    public bool ScalarsVerbatim { get; init; }
}

/// <summary>
/// Reads exactly one YAML document into a <see cref="YNode"/> tree under <see cref="YamlLimits"/>.
/// Duplicate keys, non-scalar keys, custom tags and more than one document are errors, never silently merged.
/// </summary>
public static class BoundedYamlReader
{
    private const string StandardTagPrefix = "tag:yaml.org,2002:";
    private const string MergeTag = StandardTagPrefix + "merge";

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
            return new YamlReadResult(root, []) { ScalarsVerbatim = true };
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
        private readonly List<Diagnostic> warnings = [];

        private readonly PathTrail trail = new();
        private long nodes;
        private long bytes;
        private bool hasOrigins;

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
            var root = ReadNode(1, out _);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current;
                return Fail(string.Empty, $"{what} holds more than one YAML document (another starts at line {next?.Start.Line}); put all values in one document");
            }

            return diagnostics.Count == 0
                ? new YamlReadResult(root, []) { Warnings = warnings, HasOrigins = hasOrigins }
                : new YamlReadResult(null, diagnostics);
        }

        /// <summary>Reads the node at the parser; <paramref name="via"/> is set when it is an alias.</summary>
        private YNode ReadNode(int depth, out YVia? via)
        {
            via = null;
            if (depth > limits.MaxDepth)
            {
                throw TooDeep();
            }

            var ev = parser.Current ?? throw new YamlException("unexpected end of input");
            switch (ev)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    var target = ResolveAlias(alias, depth);
                    via = new YVia(YViaKind.Alias, (int)alias.Start.Line, target.Line);
                    return target;
                case Scalar scalar:
                    parser.MoveNext();
                    Count(1, scalar.Value.Length);
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

        private LimitExceededException TooDeep() =>
            new(CurrentPath, $"{what} nests deeper than {limits.MaxDepth} levels; the values format needs far fewer, so this is not a values document");

        private YSequence ReadSequence(SequenceStart start, int depth)
        {
            var items = new List<YNode>();
            List<YOrigin?>? origins = null;
            long weight = 1;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                trail.PushIndex(items.Count);
                var item = ReadNode(depth + 1, out var via);
                trail.Pop();
                if (via is not null)
                {
                    origins ??= [.. Enumerable.Repeat<YOrigin?>(null, items.Count)];
                }

                origins?.Add(via is null ? null : YOrigin.Through(via, null));
                items.Add(item);
                weight += item.Weight;
            }

            Count(1, 0);
            return new YSequence(items, weight, (int)start.Start.Line, (int)start.Start.Column, origins?.ToArray());
        }

        private YMapping ReadMapping(MappingStart start, int depth)
        {
            var entries = new List<Entry>();
            Dictionary<string, YScalar>? index = null;
            var merges = 0;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                if (keyEvent is not Scalar keyScalar)
                {
                    var line = keyEvent?.Start.Line ?? 0;
                    throw new LimitExceededException(CurrentPath, $"a mapping key at line {line} is not a plain string; keys in {what} must be names");
                }

                var key = ReadScalar(keyScalar);
                var isMerge = IsMergeKey(keyScalar);

                // From here on a parse error, while fetching the value too, belongs to this key.
                trail.PushKey(key.Value);
                parser.MoveNext();
                if (FirstWithKey(entries, ref index, key.Value) is { } first)
                {
                    var hint = isMerge ? "; to merge several mappings, list them: <<: [*first, *second]" : "; YAML would silently keep only one, so remove or rename one of them";
                    diagnostics.Add(Diagnostic.Error(CurrentPath, $"duplicate key {Shown.Value(key.Value)} at line {key.Line} (first at line {first.Line}){hint}"));
                }

                var value = ReadNode(depth + 1, out var via);
                if (isMerge)
                {
                    CheckMergeValue(value);
                    merges++;
                }

                trail.Pop();
                entries.Add(new Entry(key, value, via is null ? null : YOrigin.Through(via, null), isMerge));
                index?.TryAdd(key.Value, key);
                Count(0, key.Value.Length);
            }

            var mapping = merges == 0 ? Build(entries, start) : Merge(entries, start, depth);
            Count(1, 0);
            return mapping;
        }

        private YMapping Build(List<Entry> entries, MappingStart start)
        {
            var pairs = new KeyValuePair<YScalar, YNode>[entries.Count];
            YOrigin?[]? origins = null;
            long weight = 1;
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                pairs[i] = new KeyValuePair<YScalar, YNode>(e.Key, e.Value);
                weight += e.Value.Weight + 1;
                if (e.Origin is not null)
                {
                    (origins ??= new YOrigin?[entries.Count])[i] = e.Origin;
                    hasOrigins = true;
                }
            }

            return new YMapping(pairs, weight, (int)start.Start.Line, (int)start.Start.Column, origins);
        }

        /// <summary>
        /// Resolves the merge keys of one mapping as YAML's merge type (and go-yaml v3) does: the merged entries take
        /// the place of the merge key; a key written in the mapping wins over a merged one wherever it is written;
        /// of several merged mappings (<c>&lt;&lt;: [*a, *b]</c>) the earlier wins. The merged mappings are already
        /// resolved themselves, so a merge of a merge needs nothing more.
        /// </summary>
        private YMapping Merge(List<Entry> written, MappingStart start, int depth)
        {
            var mappingPath = CurrentPath;
            var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in written)
            {
                if (!e.IsMerge)
                {
                    explicitKeys.Add(e.Key.Value);
                }
            }

            var taken = new HashSet<string>(explicitKeys, StringComparer.Ordinal);
            var result = new List<Entry>(written.Count * 2);
            foreach (var e in written)
            {
                if (!e.IsMerge)
                {
                    result.Add(e);
                    continue;
                }

                trail.PushKey(e.Key.Value);
                var sources = e.Value is YSequence list ? list.Items.Cast<YMapping>() : [(YMapping)e.Value];
                foreach (var source in sources)
                {
                    for (var i = 0; i < source.Entries.Count; i++)
                    {
                        var (key, value) = source.Entries[i];
                        if (explicitKeys.Contains(key.Value) && WrittenBefore(written, key.Value, e))
                        {
                            warnings.Add(Diagnostic.Warning(FieldPath.Child(mappingPath, key.Value),
                                $"written before the merge key (<<) at line {e.Key.Line} that also brings it: here, as in YAML's merge rule and go-yaml v3, the key you wrote wins; Helm (go-yaml v2) takes the merged value instead. Write <<: first so that both read it alike"));
                        }

                        if (!taken.Add(key.Value))
                        {
                            continue;
                        }

                        // Nodes and characters were counted when the merged mapping was read or its alias resolved.
                        if (depth + value.Height > limits.MaxDepth)
                        {
                            throw TooDeep();
                        }

                        var via = new YVia(YViaKind.Merge, e.Key.Line, source.Line);
                        result.Add(new Entry(key, value, YOrigin.Through(via, source.OriginOf(i)), IsMerge: false));
                    }
                }

                trail.Pop();
            }

            return Build(result, start);
        }

        private static bool WrittenBefore(List<Entry> written, string key, Entry merge)
        {
            foreach (var e in written)
            {
                if (ReferenceEquals(e.Key, merge.Key))
                {
                    return false;
                }

                if (!e.IsMerge && e.Key.Value == key)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A plain <c>&lt;&lt;</c> (or one tagged <c>!!merge</c>); a quoted one is an ordinary key, as in go-yaml.</summary>
        private static bool IsMergeKey(Scalar key) =>
            key.Value == "<<" && (key.Tag.IsEmpty ? key.Style == ScalarStyle.Plain : key.Tag.Value is "!" or MergeTag);

        private void CheckMergeValue(YNode value)
        {
            var ok = value switch
            {
                YMapping => true,
                YSequence list => list.Items.All(i => i is YMapping),
                _ => false,
            };
            if (!ok)
            {
                var got = value is YSequence s ? $"a list holding {s.Items.First(i => i is not YMapping).KindName}" : value.KindName;
                throw new LimitExceededException(CurrentPath, $"a merge key (<<) takes a mapping or a list of mappings (<<: *defaults or <<: [*first, *second]), got {got}");
            }
        }

        // Values mappings hold a handful of keys, where a scan beats allocating a dictionary per mapping; past
        // SmallMapping keys an index takes over, so a mapping with thousands of keys stays linear.
        private const int SmallMapping = 16;

        private static YScalar? FirstWithKey(List<Entry> entries, ref Dictionary<string, YScalar>? index, string key)
        {
            if (index is null && entries.Count >= SmallMapping)
            {
                index = new Dictionary<string, YScalar>(StringComparer.Ordinal);
                foreach (var e in entries)
                {
                    index.TryAdd(e.Key.Value, e.Key);
                }
            }

            if (index is not null)
            {
                return index.GetValueOrDefault(key);
            }

            foreach (var e in entries)
            {
                if (string.Equals(e.Key.Value, key, StringComparison.Ordinal))
                {
                    return e.Key;
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
                if (!CoreScalarTags.Contains(tag) && !(tag == MergeTag && scalar.Value == "<<"))
                {
                    throw new LimitExceededException(CurrentPath, $"custom YAML tag {Shown.Value(tag)} at line {scalar.Start.Line} is not allowed; remove the tag");
                }
            }

            var quoted = scalar.Style != ScalarStyle.Plain || tag == StandardTagPrefix + "str";
            return new YScalar(scalar.Value, quoted, quoted || tag == MergeTag ? null : tag, (int)scalar.Start.Line, (int)scalar.Start.Column);
        }

        private void CheckTag(TagName tag, string expected)
        {
            if (!tag.IsEmpty && tag.Value != expected && tag.Value != "!")
            {
                throw new LimitExceededException(CurrentPath, $"YAML tag {Shown.Value(tag.Value)} is not allowed here; remove the tag");
            }
        }

        /// <summary>
        /// An alias costs what it expands to, not one use of a budget of aliases: its nodes and characters count
        /// again, and its height counts from where it is used.
        /// </summary>
        private YNode ResolveAlias(AnchorAlias alias, int depth)
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new LimitExceededException(CurrentPath, $"YAML alias {Shown.Value("*" + alias.Value.Value)} at line {alias.Start.Line} refers to no anchor defined before it");
            }

            if (depth - 1 + target.Height > limits.MaxDepth)
            {
                throw TooDeep();
            }

            Count(target.Weight, target.Bytes);
            hasOrigins = true;
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

        private void Count(long weight, long characters)
        {
            nodes += weight;
            bytes += characters;
            if (nodes > limits.MaxNodes)
            {
                throw new LimitExceededException(CurrentPath, string.Create(CultureInfo.InvariantCulture,
                    $"{what} expands to more than {limits.MaxNodes} YAML nodes (aliases and merge keys included); this looks like an alias bomb, not values"));
            }

            if (bytes > limits.MaxExpandedBytes)
            {
                throw new LimitExceededException(CurrentPath, string.Create(CultureInfo.InvariantCulture,
                    $"{what} expands to more than {limits.MaxExpandedBytes} characters (aliases and merge keys included); this looks like an alias bomb, not values"));
            }
        }

        private readonly record struct Entry(YScalar Key, YNode Value, YOrigin? Origin, bool IsMerge);
    }
}
