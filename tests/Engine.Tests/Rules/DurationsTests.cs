using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("1s")]
    [InlineData("500ms")]
    [InlineData("1m")]
    [InlineData("24h")]
    [InlineData("1h30m")]
    [InlineData("1h2m3s4ms")]
    [InlineData("99999h")]
    public void Gateway_API_durations_are_valid(string s) => Assert.True(Durations.IsValid(s));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1d")]
    [InlineData("1.5h")]
    [InlineData("-1s")]
    [InlineData("1 m")]
    [InlineData("1H")]
    [InlineData("100000s")]
    [InlineData("1h1m1s1ms1h")]
    [InlineData("1us")]
    public void Everything_else_is_not(string s) => Assert.False(Durations.IsValid(s));

    [Theory]
    [InlineData("1d", "days are not a unit here; use 24h")]
    [InlineData("7d", "days are not a unit here; use 168h")]
    [InlineData("60", "a duration needs a unit; write 60s for seconds or 60m for minutes")]
    [InlineData("1.5h", "write a duration like 30s, 1m, 1h or 1h30m (units h, m, s, ms; at most 5 digits per group)")]
    [InlineData("1 minute", "write a duration like 30s, 1m, 1h or 1h30m (units h, m, s, ms; at most 5 digits per group)")]
    public void Problems_say_how_to_fix_them(string s, string problem) => Assert.Equal(problem, Durations.Problem(s));
}
