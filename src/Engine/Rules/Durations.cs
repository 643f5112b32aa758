using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Gateway API and Kuadrant durations: one to four groups of up to five digits with h, m, s or ms (<c>1h30m</c>).
/// Days are not a unit there, which is the most common mistake, so it gets its own hint.
/// </summary>
public static partial class Durations
{
    public static bool IsValid(string s) => Pattern().IsMatch(s);

    /// <summary>A valid duration that adds up to nothing (<c>0s</c>, <c>0m0ms</c>): a window or timeout that bounds nothing.</summary>
    public static bool IsZero(string s) => IsValid(s) && !s.AsSpan().ContainsAnyInRange('1', '9');

    /// <summary>The length of a valid duration (<see cref="IsValid"/>); null for anything else.</summary>
    public static TimeSpan? TryParse(string s)
    {
        if (!IsValid(s))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match group in Group().Matches(s))
        {
            var n = long.Parse(group.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += group.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return total;
    }

    public static string Problem(string s)
    {
        var days = Days().Match(s);
        if (days.Success)
        {
            var hours = long.Parse(days.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 24;
            return $"days are not a unit here; use {hours}h";
        }

        return Number().IsMatch(s)
            ? $"a duration needs a unit; write {s}s for seconds or {s}m for minutes"
            : "write a duration like 30s, 1m, 1h or 1h30m (units h, m, s, ms; at most 5 digits per group)";
    }

    [GeneratedRegex(@"^([0-9]{1,5}(h|m|s|ms)){1,4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("([0-9]{1,5})(ms|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Group();

    [GeneratedRegex(@"^([0-9]{1,4})d\z", RegexOptions.CultureInvariant)]
    private static partial Regex Days();

    [GeneratedRegex(@"^[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
