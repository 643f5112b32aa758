using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// One line of expected.txt: <c>error &lt;path&gt;: &lt;fragment&gt;</c> or <c>warning &lt;path&gt;: &lt;fragment&gt;</c>.
/// The path is exactly what the engine reports (<c>(root)</c> for the empty path); the fragment is a distinctive
/// substring of the message. Blank lines and lines starting with <c>#</c> are ignored.
/// </summary>
internal sealed record ExpectedLine(Severity Severity, string Path, string Fragment, int LineNumber)
{
    public const string RootPath = "(root)";

    public static IReadOnlyList<ExpectedLine> Parse(string? text)
    {
        var lines = new List<ExpectedLine>();
        if (text is null)
        {
            return lines;
        }

        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var severityWord = space < 0 ? line : line[..space];
            var severity = severityWord switch
            {
                "error" => Severity.Error,
                "warning" => Severity.Warning,
                _ => throw new FormatException($"line {number}: starts with \"{severityWord}\"; expected \"error\" or \"warning\": {line}"),
            };
            var rest = line[(space + 1)..];
            var colon = rest.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"line {number}: expected \"{severityWord} <path>: <message fragment>\": {line}");
            }

            var path = rest[..colon];
            var fragment = rest[(colon + 2)..];
            if (fragment.Trim().Length == 0)
            {
                throw new FormatException($"line {number}: the message fragment is empty: {line}");
            }

            lines.Add(new ExpectedLine(severity, path == RootPath ? string.Empty : path, fragment, number));
        }

        return lines;
    }

    public static string Format(Diagnostic d) =>
        $"{(d.IsError ? "error" : "warning")} {(d.Path.Length == 0 ? RootPath : d.Path)}: {d.Text}";

    public bool Matches(Diagnostic d) =>
        d.Severity == Severity && d.Path == Path && d.Text.Contains(Fragment, StringComparison.Ordinal);

    public override string ToString() =>
        $"line {LineNumber}: {(Severity == Severity.Error ? "error" : "warning")} {(Path.Length == 0 ? RootPath : Path)}: {Fragment}";
}

/// <summary>Compares findings with expected lines and says everything that differs, not just the first thing.</summary>
internal static class ExpectedMatcher
{
    /// <summary>
    /// Every expected line must be matched; the set of paths of <paramref name="exactSeverity"/> must equal the expected set
    /// (no missing, no extra); other severities only need their listed lines.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<Diagnostic> actual, IReadOnlyList<ExpectedLine> expected, Severity exactSeverity)
    {
        var problems = new List<string>();
        foreach (var line in expected.Where(e => !actual.Any(e.Matches)))
        {
            var samePath = actual.Where(d => d.Path == line.Path && d.Severity == line.Severity).ToList();
            problems.Add(samePath.Count == 0
                ? $"missing: {line}"
                : $"message mismatch: {line}\n      at that path: " + string.Join("\n      at that path: ", samePath.Select(d => d.Message)));
        }

        var expectedPaths = expected.Where(e => e.Severity == exactSeverity).Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var word = exactSeverity == Severity.Error ? "error" : "warning";
        foreach (var extra in actual.Where(d => d.Severity == exactSeverity && !expectedPaths.Contains(d.Path)))
        {
            problems.Add($"unexpected {word}: {ExpectedLine.Format(extra)}");
        }

        return problems;
    }
}
