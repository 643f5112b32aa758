using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Layers;

/// <summary>One values file among several (<c>-f</c>): the name messages give it and its values text.</summary>
public sealed record ValuesFile(string Name, string Text);

/// <summary>
/// Values given in layers, merged into one tree: <see cref="Root"/> with every entry's file or <c>--set</c> recorded
/// (<see cref="YOrigin.Layer"/>), or the reasons there is none.
/// </summary>
public sealed record LayeredValues(YMapping? Root, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<Diagnostic> Warnings, IReadOnlyList<Diagnostic> TextFindings)
{
    public bool Ok => Root is not null;
}

/// <summary>
/// Merges values files and <c>--set</c> assignments the way Helm does (<c>helm install -f a.yaml -f b.yaml --set …</c>):
/// each file in order over the ones before it (mappings merged key by key, lists and scalars replaced whole, a
/// <c>null</c> deleting the key), then every <c>--set</c>, then every <c>--set-string</c>, in the order given
/// (Helm's pkg/cli/values order, whatever the order on the command line).
/// </summary>
/// <remarks>
/// The merge works on the read trees, not on text, so that positions, aliases and merge keys keep their provenance and
/// each entry records the layer it came from. The tree stays bounded as one document is (<see cref="YamlLimits"/>:
/// nodes and characters after expansion, depth), checked after every layer, so that no number of files or
/// assignments can build more than a single document may. A file's first layer keeps its nulls: there is nothing
/// under it to delete, and the binder says what to write instead, as it does for a single file.
/// </remarks>
public static class ValuesLayering
{
    public static LayeredValues Read(IReadOnlyList<ValuesFile> files, IReadOnlyList<string> set, IReadOnlyList<string> setString, YamlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(setString);
        limits ??= YamlLimits.Default;
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        var textFindings = new List<Diagnostic>();
        YMapping? merged = null;
        var names = new List<string>();
        foreach (var file in files)
        {
            var parsed = BoundedYamlReader.Read(file.Text, file.Name, limits);
            var inFile = "in " + file.Name;
            if (!parsed.Ok)
            {
                errors.AddRange(parsed.Diagnostics);
                textFindings.AddRange(CredentialRules.CheckText(file.Text, null).Select(d => d with { Origin = inFile }));
                continue;
            }

            var root = parsed.Root!;
            var scan = parsed.ScalarsVerbatim ? CredentialRules.CheckComments(file.Text, root) : CredentialRules.CheckText(file.Text, root);
            textFindings.AddRange(scan.Select(d => d with { Origin = inFile }));
            warnings.AddRange(parsed.Warnings.Select(d => d with { Origin = "from " + file.Name }));
            if (root is not YMapping map)
            {
                errors.Add(Diagnostic.Error(string.Empty, $"{file.Name}: the values must be a mapping, got {root.KindName}; every values file given with -f holds a mapping of keys") with { Origin = inFile });
                continue;
            }

            names.Add(file.Name);
            merged = merged is null ? InLayer(map, file.Name) : Merge(merged, map, file.Name);
            if (OutOfBounds(merged, limits, names) is { } tooLarge)
            {
                errors.Add(tooLarge);
                merged = null;
                break;
            }
        }

        foreach (var (text, asString) in set.Select(s => (s, false)).Concat(setString.Select(s => (s, true))))
        {
            var (assignments, error) = SetExpression.Parse(text, asString);
            if (error is not null)
            {
                errors.Add(Diagnostic.Error(string.Empty, $"{(asString ? "--set-string" : "--set")}: {error}"));
                continue;
            }

            foreach (var assignment in assignments)
            {
                names.Add(assignment.Layer);
                if (merged is null)
                {
                    continue;
                }

                try
                {
                    merged = Apply(merged, assignment);
                }
                catch (SetPathException e)
                {
                    errors.Add(Diagnostic.Error(e.Path, e.Message) with { Origin = "from " + assignment.Layer });
                    continue;
                }

                if (OutOfBounds(merged, limits, names) is { } tooLarge)
                {
                    errors.Add(tooLarge);
                    merged = null;
                }
            }
        }

        return errors.Count == 0 && merged is not null
            ? new LayeredValues(merged, [], warnings, textFindings)
            : new LayeredValues(null, [.. errors, .. textFindings], warnings, textFindings);
    }

    /// <summary>The tree as values text (aliases written out), for the commands that store or send the values.</summary>
    public static string WriteOut(YMapping root)
    {
        var written = Rendering.YamlWriter.Write([(System.Text.Json.Nodes.JsonObject)Values.ChartConverter.ToJson(root)!]);
        return written.StartsWith("---\n", StringComparison.Ordinal) ? written["---\n".Length..] : written;
    }

    private static Diagnostic? OutOfBounds(YNode root, YamlLimits limits, List<string> names)
    {
        var what = "the values merged from " + string.Join(", ", names);
        if (root.Weight > limits.MaxNodes)
        {
            return Diagnostic.Error(string.Empty, string.Create(CultureInfo.InvariantCulture,
                $"{what} expand to more than {limits.MaxNodes} YAML nodes (aliases and merge keys included), more than one values document may hold; give fewer or smaller layers"));
        }

        if (root.Bytes > limits.MaxExpandedBytes)
        {
            return Diagnostic.Error(string.Empty, string.Create(CultureInfo.InvariantCulture,
                $"{what} expand to more than {limits.MaxExpandedBytes} characters (aliases and merge keys included), more than one values document may hold; give fewer or smaller layers"));
        }

        return root.Height > limits.MaxDepth
            ? Diagnostic.Error(string.Empty, $"{what} nest deeper than {limits.MaxDepth} levels; the values format needs far fewer")
            : null;
    }

    /// <summary>The first file: its top-level entries say which file they are in; everything below inherits that.</summary>
    private static YMapping InLayer(YMapping map, string layer)
    {
        var builder = new Builder(map);
        for (var i = 0; i < builder.Count; i++)
        {
            builder.SetOrigin(i, Layered(map.OriginOf(i), layer));
        }

        return builder.Build(map);
    }

    /// <summary>Helm's mergeMaps, then its null rule: <paramref name="overlay"/>'s keys over <paramref name="under"/>'s.</summary>
    private static YMapping Merge(YMapping under, YMapping overlay, string layer)
    {
        var builder = new Builder(under);
        for (var i = 0; i < overlay.Entries.Count; i++)
        {
            var (key, value) = overlay.Entries[i];
            var index = builder.IndexOf(key.Value);
            if (IsNull(value))
            {
                builder.Remove(index);
            }
            else if (index >= 0 && builder.Value(index) is YMapping inner && value is YMapping innerOverlay)
            {
                builder.Set(index, key, Merge(inner, innerOverlay, layer), builder.Origin(index));
            }
            else
            {
                builder.Set(index, key, value, Layered(overlay.OriginOf(i), layer));
            }
        }

        return builder.Build(under);
    }

    private static YOrigin Layered(YOrigin? origin, string layer) => (origin ?? new YOrigin(null, [])).InLayer(layer);

    private static bool IsNull(YNode node) => node is YScalar s && ScalarTyping.IsNull(s);

    private static YMapping Apply(YMapping root, SetAssignment assignment)
    {
        // A null deletes; where there is nothing to delete, nothing is created on the way to it either.
        if (IsNull(assignment.Value) && !Exists(root, assignment.Path))
        {
            return root;
        }

        return SetIn(root, assignment, 0, string.Empty, new YOrigin(assignment.Layer, []));
    }

    private static bool Exists(YNode node, IReadOnlyList<SetStep> path)
    {
        foreach (var step in path)
        {
            YNode? next = (node, step.IsIndex) switch
            {
                (YMapping m, false) => m.Get(step.Key!),
                (YSequence s, true) when step.Index < s.Items.Count => s.Items[step.Index],
                _ => null,
            };
            if (next is null)
            {
                return false;
            }

            node = next;
        }

        return true;
    }

    private static YMapping SetIn(YMapping map, SetAssignment a, int at, string parentPath, YOrigin origin)
    {
        var key = a.Path[at].Key!;
        var path = FieldPath.Child(parentPath, key);
        var builder = new Builder(map);
        var index = builder.IndexOf(key);
        var existing = index < 0 ? null : builder.Value(index);
        if (at == a.Path.Count - 1)
        {
            if (IsNull(a.Value))
            {
                builder.Remove(index);
            }
            else
            {
                builder.Set(index, Key(key), a.Value, origin);
            }

            return builder.Build(map);
        }

        YNode child = a.Path[at + 1].IsIndex
            ? SetInList(existing switch
            {
                null => Empty.List,
                YSequence s => s,
                _ => throw NotA(path, existing, "a list"),
            }, a, at + 1, path, origin)
            : SetIn(existing switch
            {
                null => Empty.Mapping,
                YMapping m => m,
                _ => throw NotA(path, existing, "a mapping"),
            }, a, at + 1, path, origin);
        builder.Set(index, index < 0 ? Key(key) : builder.Key(index), child, index < 0 ? origin : builder.Origin(index));
        return builder.Build(map);
    }

    private static YSequence SetInList(YSequence list, SetAssignment a, int at, string listPath, YOrigin origin)
    {
        var index = a.Path[at].Index;
        var count = list.Items.Count;
        if (index > count)
        {
            throw new SetPathException(listPath, string.Create(CultureInfo.InvariantCulture,
                $"index {index} is past the end of the list, which has {count} item(s); set [{count}] to add one (Helm would fill the gap with nulls, which no list of the values takes)"));
        }

        var itemPath = FieldPath.Index(listPath, index);
        var existing = index < count ? list.Items[index] : null;
        YNode item;
        var keepOrigin = false;
        if (at == a.Path.Count - 1)
        {
            item = a.Value;
        }
        else if (a.Path[at + 1].IsIndex)
        {
            item = SetInList(existing switch
            {
                null => Empty.List,
                YScalar s when ScalarTyping.IsNull(s) => Empty.List,
                YSequence s => s,
                _ => throw NotA(itemPath, existing, "a list"),
            }, a, at + 1, itemPath, origin);
            keepOrigin = existing is YSequence;
        }
        else
        {
            // strvals replaces an item that is not a mapping by an empty one ("indices out of order")
            keepOrigin = existing is YMapping;
            item = SetIn(existing as YMapping ?? Empty.Mapping, a, at + 1, itemPath, origin);
        }

        var items = new YNode[Math.Max(count, index + 1)];
        var origins = new YOrigin?[items.Length];
        for (var i = 0; i < count; i++)
        {
            items[i] = list.Items[i];
            origins[i] = list.OriginOf(i);
        }

        items[index] = item;
        origins[index] = keepOrigin ? list.OriginOf(index) : origin;
        return new YSequence(items, 1 + items.Sum(i => i.Weight), list.Line, list.Column, origins);
    }

    private static SetPathException NotA(string path, YNode existing, string what) =>
        new(path, $"{path} is {existing.KindName}, not {what}, so the path cannot go through it; set {path} itself, or change the values file that gives it");

    private static YScalar Key(string key) => new(key, quoted: false, tag: null, 0, 0);

    private static class Empty
    {
        public static readonly YMapping Mapping = new([], 1, 0, 0);

        public static readonly YSequence List = new([], 1, 0, 0);
    }

    private sealed class SetPathException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

    /// <summary>A mapping's entries, changed in place and built anew: Helm's maps are mutable, our trees are not.</summary>
    private sealed class Builder
    {
        private readonly List<(YScalar Key, YNode Value, YOrigin? Origin)?> entries;
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

        public Builder(YMapping map)
        {
            entries = new List<(YScalar, YNode, YOrigin?)?>(map.Entries.Count + 4);
            for (var i = 0; i < map.Entries.Count; i++)
            {
                var (key, value) = map.Entries[i];
                index.TryAdd(key.Value, i);
                entries.Add((key, value, map.OriginOf(i)));
            }
        }

        public int Count => entries.Count;

        public int IndexOf(string key) => index.GetValueOrDefault(key, -1);

        public YNode Value(int i) => entries[i]!.Value.Value;

        public YScalar Key(int i) => entries[i]!.Value.Key;

        public YOrigin? Origin(int i) => entries[i]!.Value.Origin;

        public void SetOrigin(int i, YOrigin origin) => entries[i] = entries[i]!.Value with { Origin = origin };

        /// <summary>Replaces entry <paramref name="i"/>, or adds the entry when <paramref name="i"/> is -1.</summary>
        public void Set(int i, YScalar key, YNode value, YOrigin? origin)
        {
            if (i < 0)
            {
                index[key.Value] = entries.Count;
                entries.Add((key, value, origin));
            }
            else
            {
                entries[i] = (entries[i]!.Value.Key, value, origin);
            }
        }

        public void Remove(int i)
        {
            if (i >= 0)
            {
                index.Remove(entries[i]!.Value.Key.Value);
                entries[i] = null;
            }
        }

        public YMapping Build(YMapping like)
        {
            var kept = entries.Where(e => e is not null).Select(e => e!.Value).ToArray();
            var pairs = kept.Select(e => new KeyValuePair<YScalar, YNode>(e.Key, e.Value)).ToArray();
            var weight = 1 + kept.Sum(e => e.Value.Weight + 1);
            return new YMapping(pairs, weight, like.Line, like.Column, [.. kept.Select(e => e.Origin)]);
        }
    }
}
