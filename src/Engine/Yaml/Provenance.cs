using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// Says where the value at a finding's path came from when that is not simply where the path points: the values file
/// or <c>--set</c> that gave it, and the merge keys and aliases that brought it there, with their lines. The path
/// itself always names the key that uses the value; this adds what the text does not show at that key.
/// </summary>
/// <remarks>
/// The tree records it (<see cref="YOrigin"/> on mapping entries and list items), so the walk follows the path the
/// binder spelt: at each mapping the entry whose <see cref="FieldPath.Child"/> starts the rest of the path. Findings
/// are few, and only trees with origins are walked.
/// </remarks>
public static class Provenance
{
    public static string? Describe(YNode root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        string? layer = null;
        var vias = new List<YVia>();
        var node = root;
        var prefix = string.Empty;
        while (prefix.Length < path.Length && Step(node, prefix, path) is { } next)
        {
            if (next.Origin is { } origin)
            {
                // The lines of the aliases on the way are lines of the file that held them: a value another file or a
                // --set put below them did not come through them.
                if (origin.Layer is not null && origin.Layer != layer)
                {
                    vias.Clear();
                    layer = origin.Layer;
                }

                vias.AddRange(origin.Vias);
            }

            (node, prefix) = (next.Child, next.Path);
        }

        return layer is null && vias.Count == 0 ? null : Format(layer, vias);
    }

    private static (YNode Child, YOrigin? Origin, string Path)? Step(YNode node, string prefix, string path)
    {
        switch (node)
        {
            case YMapping m:
                for (var i = 0; i < m.Entries.Count; i++)
                {
                    var childPath = FieldPath.Child(prefix, m.Entries[i].Key.Value);
                    if (Continues(path, childPath))
                    {
                        return (m.Entries[i].Value, m.OriginOf(i), childPath);
                    }
                }

                return null;
            case YSequence s:
                for (var i = 0; i < s.Items.Count; i++)
                {
                    var childPath = FieldPath.Index(prefix, i);
                    if (Continues(path, childPath))
                    {
                        return (s.Items[i], s.OriginOf(i), childPath);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="prefix"/> or goes on below it.</summary>
    private static bool Continues(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] is '.' or '[');

    private static string Format(string? layer, List<YVia> vias)
    {
        var sb = new StringBuilder();
        if (layer is not null)
        {
            sb.Append("from ").Append(layer);
        }

        for (var i = 0; i < vias.Count; i++)
        {
            sb.Append(i == 0 ? layer is null ? string.Empty : ": " : ", ");
            var via = vias[i];
            var (use, source) = (via.UseLine.ToString(CultureInfo.InvariantCulture), via.SourceLine.ToString(CultureInfo.InvariantCulture));
            sb.Append(via.Kind == YViaKind.Merge
                ? $"merged by the << at line {use} from the mapping at line {source}"
                : $"through the alias at line {use} of the anchor at line {source}");
        }

        return sb.ToString();
    }
}
