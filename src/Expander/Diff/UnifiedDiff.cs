using System.Text;

namespace AiGatewayModels.Expander.Diff;

/// <summary>
/// A unified diff of two texts by lines (longest common subsequence, three lines of context), as <c>diff -u</c> prints
/// it. Written here rather than taken from a package: one object's YAML is a few hundred lines at most, and the
/// Native AOT binary stays free of a dependency that only this needs.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>Empty when the texts are equal.</summary>
    public static string Of(string before, string after, string beforeName, string afterName)
    {
        if (before == after)
        {
            return string.Empty;
        }

        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Op == ' ')
            {
                i++;
                continue;
            }

            // a hunk: from Context lines before this change to Context lines after the last change within reach
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < edits.Count)
            {
                if (edits[end].Op != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < edits.Count && edits[run].Op == ' ')
                {
                    run++;
                }

                if (run == edits.Count || run - end > 2 * Context)
                {
                    end = Math.Min(run, end + Context);
                    break;
                }

                end = run;
            }

            var hunk = edits.GetRange(start, end - start);
            var aStart = edits[start].A;
            var bStart = edits[start].B;
            var aCount = hunk.Count(e => e.Op != '+');
            var bCount = hunk.Count(e => e.Op != '-');
            sb.Append("@@ -").Append(aCount == 0 ? aStart : aStart + 1).Append(',').Append(aCount)
              .Append(" +").Append(bCount == 0 ? bStart : bStart + 1).Append(',').Append(bCount).Append(" @@\n");
            foreach (var e in hunk)
            {
                sb.Append(e.Op).Append(e.Text).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    /// <summary>The edit script: ' ' kept, '-' only in a, '+' only in b, with each line's index in a and b.</summary>
    private static List<(char Op, string Text, int A, int B)> Edits(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char, string, int, int)>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x], x, y));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(('-', a[x], x, y)); // removals before additions, as diff -u prints them
                x++;
            }
            else
            {
                edits.Add(('+', b[y], x, y));
                y++;
            }
        }

        return edits;
    }
}
