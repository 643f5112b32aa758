using System.Globalization;
using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// The <c>window</c> of a limit, judged per engine. The two engines count differently, so neither form is translated
/// into the other: Kuadrant (Limitador) counts in windows of a fixed length that start with the first request
/// (<c>30s</c>, <c>1m</c>, <c>24h</c>: units h, m, s, ms), Envoy Gateway's rate-limit service in fixed units on a grid
/// that started at 1970-01-01 00:00 UTC (<c>Second</c> … <c>Year</c>: a Day ends at midnight UTC, a Week on Thursday, a
/// Month is 30 days and a Year 365: envoyproxy/ratelimit's <c>UnitToDivider</c>, the window starting at
/// <c>now / length * length</c>). A window the engine cannot express is an error that names the engine and the nearest
/// form that works; a unit whose name promises more than it counts (Week, Month, Year) draws a warning.
/// </summary>
public static partial class LimitWindows
{
    /// <summary>Envoy Gateway's <c>RateLimitUnit</c> enum (v1.9.0).</summary>
    public static readonly IReadOnlyList<string> EnvoyGatewayUnits = ["Second", "Minute", "Hour", "Day", "Week", "Month", "Year"];

    /// <summary>The lengths of those units up to a Week, shortest first (Month: 30 days, Year: 365 days).</summary>
    private static readonly (string Unit, TimeSpan Length)[] FixedUnits =
    [
        ("Second", TimeSpan.FromSeconds(1)), ("Minute", TimeSpan.FromMinutes(1)), ("Hour", TimeSpan.FromHours(1)),
        ("Day", TimeSpan.FromDays(1)), ("Week", TimeSpan.FromDays(7)),
    ];

    /// <summary>
    /// The length of each Envoy Gateway unit as its rate-limit service counts it (envoyproxy/ratelimit
    /// <c>src/utils/utilities.go</c> <c>UnitToDivider</c>): a window is <c>[now / length * length, + length)</c> in Unix
    /// seconds, so every window of a unit starts on a grid that began at 1970-01-01 00:00 UTC (a Thursday).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, long> EnvoyGatewayUnitSeconds = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["Second"] = 1, ["Minute"] = 60, ["Hour"] = 3_600, ["Day"] = 86_400, ["Week"] = 604_800, ["Month"] = 2_592_000, ["Year"] = 31_536_000,
    };

    /// <summary>The words of a limit's name that speak of a period ("second" is left out: it also means the one after the first).</summary>
    private static readonly (string Word, string Unit)[] PeriodWords =
    [
        ("minute", "Minute"), ("hour", "Hour"), ("daily", "Day"), ("day", "Day"), ("week", "Week"), ("month", "Month"), ("year", "Year"), ("annual", "Year"),
    ];

    /// <summary>Kuadrant durations closest to Envoy Gateway's units (Month as 30 days, Year as 365 days).</summary>
    private static readonly Dictionary<string, string> KuadrantNearest = new(StringComparer.Ordinal)
    {
        ["Second"] = "1s", ["Minute"] = "1m", ["Hour"] = "1h", ["Day"] = "24h", ["Week"] = "168h", ["Month"] = "720h", ["Year"] = "8760h",
    };

    /// <summary>Null when <paramref name="window"/> is a window <paramref name="engine"/> counts in; else what is wrong and the fix.</summary>
    public static string? Problem(LimitEngine engine, string window, long? limit) =>
        engine == LimitEngine.Kuadrant ? KuadrantProblem(window) : EnvoyGatewayProblem(window, limit);

    private static string? KuadrantProblem(string window)
    {
        if (Durations.IsValid(window))
        {
            return null;
        }

        var unit = EnvoyGatewayUnits.FirstOrDefault(u => string.Equals(u, window, StringComparison.OrdinalIgnoreCase));
        if (unit is not null)
        {
            return $"{Shown.Value(window)} is not a Kuadrant window: Kuadrant counts in durations from the first request (units h, m, s, ms), not in Envoy Gateway's units; nearest: {KuadrantNearest[unit]}";
        }

        var weeks = Weeks().Match(window);
        if (weeks.Success)
        {
            return $"{Shown.Value(window)} is not a Kuadrant window: weeks are not a unit here; use {long.Parse(weeks.Groups[1].Value, CultureInfo.InvariantCulture) * 168}h";
        }

        return $"{Shown.Value(window)} is not a Kuadrant window: {Durations.Problem(window)}";
    }

    private static string? EnvoyGatewayProblem(string window, long? limit)
    {
        if (EnvoyGatewayUnits.Contains(window))
        {
            return null;
        }

        const string Units = "Envoy Gateway counts per Second, Minute, Hour, Day, Week, Month or Year (windows aligned to the clock: a Day ends at midnight UTC)";
        var unit = EnvoyGatewayUnits.FirstOrDefault(u => string.Equals(u, window, StringComparison.OrdinalIgnoreCase));
        if (unit is not null)
        {
            return $"{Shown.Value(window)} is not an Envoy Gateway window: the unit is written {unit}";
        }

        var length = Durations.TryParse(window) ?? DaysOrWeeks(window);
        if (length is not { } d || d <= TimeSpan.Zero)
        {
            return $"{Shown.Value(window)} is not an Envoy Gateway window: {Units}; write one of them, e.g. window: Minute";
        }

        foreach (var (name, fixedLength) in FixedUnits)
        {
            if (d == fixedLength)
            {
                return $"{Shown.Value(window)} is not an Envoy Gateway window: {Units}; write window: {name}";
            }
        }

        var below = FixedUnits.LastOrDefault(u => u.Length < d);
        var above = FixedUnits.FirstOrDefault(u => u.Length > d);
        var options = new List<string>(2);
        foreach (var (name, fixedLength) in new[] { below, above })
        {
            if (name is null)
            {
                continue;
            }

            options.Add(limit is { } n && Scaled(n, fixedLength, d) is { } scaled
                ? string.Create(CultureInfo.InvariantCulture, $"window: {name} with a limit of {scaled}")
                : $"window: {name}");
        }

        if (above.Unit is null)
        {
            options.Add("window: Month");
        }

        var rate = limit is null ? string.Empty : " (about the same rate)";
        return $"{Shown.Value(window)} is not an Envoy Gateway window: {Units}; nearest: {string.Join(" or ", options)}{rate}";
    }

    /// <summary>
    /// The Envoy Gateway window of <paramref name="unit"/> that holds <paramref name="at"/>: its rate-limit service keys a
    /// counter by <c>unixSeconds / length * length</c>, so the window starts there and the counter resets at its end.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) EnvoyGatewayWindow(string unit, DateTimeOffset at)
    {
        var length = EnvoyGatewayUnitSeconds[unit];
        var start = Math.DivRem(at.ToUnixTimeSeconds(), length, out var rest) * length - (rest < 0 ? length : 0);
        return (DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(start + length));
    }

    /// <summary>
    /// A warning for a window the engine counts in, but not the way its name or the limit's name says: Envoy Gateway's
    /// Week starts on Thursday, its Month is 30 days and its Year 365, none of them calendar periods; and a limit named
    /// "monthly" that counts per Day is counted per Day. Null when the window means what it says.
    /// </summary>
    public static string? Notice(LimitEngine engine, string window, string? name)
    {
        if (engine != LimitEngine.EnvoyGateway)
        {
            return null;
        }

        var said = name is null ? null : PeriodNamed(name);
        var differs = said is not null && said != window
            ? $"; the name {Shown.Value(name)} says {said.ToLowerInvariant()}, but it is counted per {window}"
            : string.Empty;
        return window switch
        {
            "Month" => "Envoy Gateway's Month is not a calendar month: it is 30 days on a grid that started at 1970-01-01 00:00 UTC, so its counter resets every 30 days, on a date that moves through the calendar (README \"Budgets\" lists the dates)" + differs,
            "Year" => "Envoy Gateway's Year is not a calendar year: it is 365 days on a grid that started at 1970-01-01 00:00 UTC, so it resets on a date that moves back a day after every leap day (README \"Budgets\" lists the dates)" + differs,
            "Week" => "Envoy Gateway's Week starts on Thursday at 00:00 UTC (its grid started on Thursday 1970-01-01), not on Monday" + differs,
            _ when differs.Length > 0 => $"counted per {window}{differs}; rename the limit or change its window",
            _ => null,
        };
    }

    /// <summary>The unit a limit's name speaks of (<c>user-monthly-budget</c>: Month), when it speaks of exactly one.</summary>
    private static string? PeriodNamed(string name)
    {
        var lower = name.ToLowerInvariant();
        string? found = null;
        foreach (var (word, unit) in PeriodWords)
        {
            if (lower.Contains(word, StringComparison.Ordinal))
            {
                if (found is not null && found != unit)
                {
                    return null;
                }

                found = unit;
            }
        }

        return found;
    }

    /// <summary>The limit that keeps the same rate over <paramref name="to"/> instead of <paramref name="from"/>; null below 1.</summary>
    private static long? Scaled(long limit, TimeSpan to, TimeSpan from)
    {
        var scaled = Math.Floor((double)limit * to.Ticks / from.Ticks);
        return scaled is >= 1 and < 9e18 ? (long)scaled : null;
    }

    private static TimeSpan? DaysOrWeeks(string window)
    {
        var days = Days().Match(window);
        if (days.Success)
        {
            return TimeSpan.FromDays(long.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        var weeks = Weeks().Match(window);
        return weeks.Success ? TimeSpan.FromDays(7 * long.Parse(weeks.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
    }

    [GeneratedRegex(@"^([0-9]{1,4})d\z", RegexOptions.CultureInvariant)]
    private static partial Regex Days();

    [GeneratedRegex(@"^([0-9]{1,3})w\z", RegexOptions.CultureInvariant)]
    private static partial Regex Weeks();
}
