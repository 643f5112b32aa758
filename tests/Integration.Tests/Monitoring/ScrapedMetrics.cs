using System.Text.RegularExpressions;

namespace AiGatewayModels.Integration.Tests.Monitoring;

/// <summary>
/// The metric families of one or more /metrics texts (Prometheus text format 0.0.4) and the labels their series carry.
/// A histogram's family also answers for its _bucket, _sum and _count series.
/// </summary>
internal sealed partial class ScrapedMetrics
{
    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> labels = new(StringComparer.Ordinal);

    public static ScrapedMetrics Parse(params string[] texts)
    {
        var m = new ScrapedMetrics();
        foreach (var line in texts.SelectMany(t => t.Split('\n')))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                m.types[type.Groups[1].Value] = type.Groups[2].Value;
                m.labels.TryAdd(type.Groups[1].Value, new HashSet<string>(StringComparer.Ordinal));
            }
            else if (SeriesLine().Match(line) is { Success: true } series)
            {
                var family = m.FamilyOf(series.Groups[1].Value) ?? series.Groups[1].Value;
                var set = m.labels.TryGetValue(family, out var s) ? s : m.labels[family] = new HashSet<string>(StringComparer.Ordinal);
                foreach (Match label in LabelPair().Matches(series.Groups[2].Value))
                {
                    set.Add(label.Groups[1].Value);
                }
            }
        }

        return m;
    }

    public IEnumerable<string> Families => types.Keys;

    /// <summary>The family a series name belongs to (name, or a histogram's name_bucket, _sum, _count); null when unknown.</summary>
    public string? FamilyOf(string name)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var t) && t == "histogram")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    /// <summary>The labels of a series name: its family's, plus le for a histogram's buckets.</summary>
    public IReadOnlySet<string> LabelsOf(string name)
    {
        var family = FamilyOf(name);
        var set = new HashSet<string>(family is not null && labels.TryGetValue(family, out var l) ? l : [], StringComparer.Ordinal);
        if (family is not null && name.EndsWith("_bucket", StringComparison.Ordinal))
        {
            set.Add("le");
        }

        return set;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? ")]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelPair();
}
