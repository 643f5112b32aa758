using System.Globalization;

namespace AiGatewayModels.Common.Tests;

/// <summary>The samples of a Prometheus text, by series ("name{labels}"); a series that is absent is absent, not 0.</summary>
internal static class Samples
{
    public static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
            .ToDictionary(s => s.Series, s => double.Parse(s.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
