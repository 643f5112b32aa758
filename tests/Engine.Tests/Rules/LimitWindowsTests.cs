using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class LimitWindowsTests
{
    [Theory]
    [InlineData("1s")]
    [InlineData("500ms")]
    [InlineData("1m")]
    [InlineData("24h")]
    [InlineData("720h")]
    [InlineData("1h30m")]
    public void Kuadrant_counts_in_durations(string window) => Assert.Null(LimitWindows.Problem(LimitEngine.Kuadrant, window, 10));

    [Theory]
    [InlineData("Second", "nearest: 1s")]
    [InlineData("Minute", "nearest: 1m")]
    [InlineData("Hour", "nearest: 1h")]
    [InlineData("Day", "nearest: 24h")]
    [InlineData("week", "nearest: 168h")]
    [InlineData("Month", "not in Envoy Gateway's units; nearest: 720h")]
    [InlineData("Year", "nearest: 8760h")]
    [InlineData("1d", "days are not a unit here; use 24h")]
    [InlineData("3w", "weeks are not a unit here; use 504h")]
    [InlineData("5 minutes", "write a duration like 30s")]
    public void Kuadrant_refuses_Envoy_Gateway_units_with_the_nearest_duration(string window, string fragment)
    {
        var problem = LimitWindows.Problem(LimitEngine.Kuadrant, window, 10);
        Assert.NotNull(problem);
        Assert.StartsWith($"\"{window}\" is not a Kuadrant window", problem, StringComparison.Ordinal);
        Assert.Contains(fragment, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Envoy_Gateway_counts_in_its_seven_units()
    {
        Assert.Equal(["Second", "Minute", "Hour", "Day", "Week", "Month", "Year"], LimitWindows.EnvoyGatewayUnits);
        Assert.All(LimitWindows.EnvoyGatewayUnits, u => Assert.Null(LimitWindows.Problem(LimitEngine.EnvoyGateway, u, 10)));
    }

    [Theory]
    [InlineData("1s", 10, "write window: Second")]
    [InlineData("60s", 10, "write window: Minute")]
    [InlineData("1h", 10, "write window: Hour")]
    [InlineData("24h", 10, "write window: Day")]
    [InlineData("7d", 10, "write window: Week")]
    [InlineData("1w", 10, "write window: Week")]
    [InlineData("5m", 100, "nearest: window: Minute with a limit of 20 or window: Hour with a limit of 1200 (about the same rate)")]
    [InlineData("30s", 1, "nearest: window: Second or window: Minute with a limit of 2")]
    [InlineData("250ms", 5, "nearest: window: Second with a limit of 20 (about the same rate)")]
    [InlineData("336h", 1400, "nearest: window: Week with a limit of 700 or window: Month")]
    [InlineData("minute", 10, "the unit is written Minute")]
    [InlineData("monthly", 10, "write one of them, e.g. window: Minute")]
    public void Envoy_Gateway_refuses_other_windows_with_the_nearest_unit(string window, long limit, string fragment)
    {
        var problem = LimitWindows.Problem(LimitEngine.EnvoyGateway, window, limit);
        Assert.NotNull(problem);
        Assert.StartsWith($"\"{window}\" is not an Envoy Gateway window", problem, StringComparison.Ordinal);
        Assert.Contains(fragment, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h30m", 5400.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m3s", 123.0)]
    [InlineData("1d", null)]
    [InlineData("", null)]
    public void Durations_parse_to_their_length(string text, double? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, Durations.TryParse(text));
}
