using System.Globalization;
using System.Text;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>A short, readable account of where two texts part: the first differing line with a little context.</summary>
internal static class GoldenDiff
{
    private const int Context = 3;

    public static string Excerpt(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var first = 0;
        while (first < want.Length && first < got.Length && want[first] == got[first])
        {
            first++;
        }

        if (first == want.Length && first == got.Length)
        {
            return "(the texts are equal)";
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"first difference at line {first + 1} (expected {want.Length} lines, got {got.Length}):\n");
        var from = Math.Max(0, first - Context);
        for (var i = from; i < first; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {i + 1,5}   {want[i]}\n");
        }

        for (var i = first; i < Math.Min(want.Length, first + Context + 1); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {i + 1,5}   {Visible(want[i])}\n");
        }

        for (var i = first; i < Math.Min(got.Length, first + Context + 1); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"+ {i + 1,5}   {Visible(got[i])}\n");
        }

        return sb.ToString();
    }

    /// <summary>Makes invisible differences visible: trailing spaces, carriage returns, tabs.</summary>
    private static string Visible(string line) =>
        line.ReplaceAll("\r", "\\r").ReplaceAll("\t", "\\t") + (line.EndsWith(' ') ? "⏎" : string.Empty);
}
