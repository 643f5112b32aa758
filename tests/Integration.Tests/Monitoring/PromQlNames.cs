using System.Text.RegularExpressions;

namespace AiGatewayModels.Integration.Tests.Monitoring;

/// <summary>
/// The metric names and labels a PromQL expression (or a Grafana legend or alert template) refers to, and what of
/// them a scrape does not have. A reading for this check, not a PromQL parser: selectors, grouping clauses, functions,
/// keywords, string literals, ranges and Grafana variables are told apart lexically.
/// </summary>
internal static partial class PromQlNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    /// <summary>
    /// Every problem of <paramref name="expr"/>: names no program exposes, labels a metric's series do not carry (nor the
    /// scrape adds: <paramref name="targetLabels"/>), grouping and template labels that none of its metrics carry.
    /// </summary>
    public static IReadOnlyList<string> Problems(string expr, ScrapedMetrics scraped, IReadOnlySet<string> targetLabels, IEnumerable<string>? templateLabels = null)
    {
        var problems = new List<string>();
        var text = Strings().Replace(expr, "\"\"");
        text = Ranges().Replace(text, string.Empty);
        var available = new HashSet<string>(targetLabels, StringComparer.Ordinal);
        var metrics = new List<string>();

        // name{matchers}: the name, and each matcher's label on that metric
        foreach (Match selector in Selector().Matches(text))
        {
            var name = selector.Groups[1].Value;
            foreach (Match matcher in Matcher().Matches(selector.Groups[2].Value))
            {
                var label = matcher.Groups[1].Value;
                if (name.Length > 0 && scraped.FamilyOf(name) is not null && !scraped.LabelsOf(name).Contains(label) && !targetLabels.Contains(label))
                {
                    problems.Add($"{name} has no label {label} (it has: {string.Join(", ", scraped.LabelsOf(name).Order(StringComparer.Ordinal))})");
                }
            }
        }

        var bare = Selector().Replace(text, m => m.Groups[1].Value + " ");
        var groupings = new List<string>();
        foreach (Match grouping in Grouping().Matches(bare))
        {
            groupings.AddRange(grouping.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        bare = Grouping().Replace(bare, " ");
        foreach (Match identifier in Identifier().Matches(bare))
        {
            var name = identifier.Groups[1].Value;
            var isFunction = identifier.Groups[2].Value == "(";
            if (isFunction || Keywords.Contains(name) || Numberish().IsMatch(name))
            {
                continue;
            }

            if (scraped.FamilyOf(name) is null)
            {
                problems.Add($"no program exposes {name}");
                continue;
            }

            metrics.Add(name);
            available.UnionWith(scraped.LabelsOf(name));
        }

        if (metrics.Count == 0)
        {
            problems.Add($"no metric in: {expr}");
        }

        foreach (var label in groupings.Concat(templateLabels ?? []).Where(l => !available.Contains(l)).Distinct())
        {
            problems.Add($"label {label} is on none of {string.Join(", ", metrics.Distinct())}");
        }

        return problems;
    }

    /// <summary>The labels of a Grafana legend ({{label}}) or an alert template ({{ $labels.label }}).</summary>
    public static IEnumerable<string> TemplateLabels(string? template) =>
        template is null ? [] : TemplateLabel().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![$\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?:[eE]\d*|\d.*)$")]
    private static partial Regex Numberish();

    [GeneratedRegex(@"\{\{\s*(?:\$labels\.)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")]
    private static partial Regex TemplateLabel();
}
