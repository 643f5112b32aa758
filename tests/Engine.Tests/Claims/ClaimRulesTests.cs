using AiGatewayModels.Engine.Claims;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Claims;

/// <summary>Who gets a contested claim, and what the loser is told.</summary>
public sealed class ClaimRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Claimant Claimant(string ns, string name, DateTimeOffset created, string[] objects, string gateway = "gw/ai-gateway", string? section = null, params string[] matches) =>
        new(ns, name, ns + "/" + name, created, new Footprint(ns, objects, gateway, section, matches.ToDictionary(m => m, m => "AIGatewayRoute " + m)));

    [Fact]
    public void The_older_ConfigMap_wins_then_the_namespace_then_the_name()
    {
        var older = Claimant("b", "x", Noon, ["Backend p"]);
        var newer = Claimant("a", "a", Noon.AddSeconds(1), ["Backend p"]);
        Assert.True(older.Precedes(newer));
        Assert.False(newer.Precedes(older));
        Assert.True(Claimant("a", "z", Noon, []).Precedes(Claimant("b", "a", Noon, [])));
        Assert.True(Claimant("a", "a", Noon, []).Precedes(Claimant("a", "b", Noon, [])));
        Assert.False(Claimant("a", "a", Noon, []).Precedes(Claimant("a", "a", Noon, [])));
    }

    [Fact]
    public void A_loser_withholds_exactly_the_contested_objects_and_routes()
    {
        var winner = Claimant("team", "first", Noon, ["Backend p", "AIGatewayRoute m"], matches: "gpt-4");
        var loser = Claimant("team", "second", Noon.AddSeconds(5), ["Backend p", "Backend q", "AIGatewayRoute n"], matches: ["gpt-4", "gpt-5"]);
        var lost = ClaimRules.Lost(loser, [winner]);
        Assert.Equal(2, lost.Count);
        Assert.Equal(["Backend p"], lost[0].Objects);
        Assert.Equal("the generated Backend p is claimed by the older ConfigMap team/first; rename the backend or model (or its resourceName)", lost[0].Message);
        Assert.Equal(["AIGatewayRoute gpt-4"], lost[1].Objects);
        Assert.Equal("modelMatch \"gpt-4\" on Gateway gw/ai-gateway is claimed by the older ConfigMap team/first; use another modelMatch or Gateway", lost[1].Message);
        Assert.Empty(ClaimRules.Lost(winner, [loser]));
        Assert.Equal([loser], ClaimRules.Beaten(winner, [loser]));
        Assert.Empty(ClaimRules.Beaten(loser, [winner]));
    }

    [Fact]
    public void Another_namespace_is_never_named_and_its_objects_are_not_contested()
    {
        var winner = Claimant("secret-team", "models", Noon, ["Backend p"], matches: "gpt-4");
        var loser = Claimant("team", "models", Noon.AddMinutes(1), ["Backend p"], matches: "gpt-4");
        var lost = Assert.Single(ClaimRules.Lost(loser, [winner]));
        Assert.Equal("modelMatch \"gpt-4\" on Gateway gw/ai-gateway is claimed by the older ConfigMap in another namespace; use another modelMatch or Gateway", lost.Message);
        Assert.DoesNotContain("secret-team", lost.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gw/ai-gateway", null, null, true)]
    [InlineData("gw/ai-gateway", "http", null, true)]
    [InlineData("gw/ai-gateway", "http", "http", true)]
    [InlineData("gw/ai-gateway", "http", "https", false)]
    [InlineData("gw/other", null, null, false)]
    public void A_model_id_is_contested_on_the_same_Gateway_listener_only(string gateway, string? section, string? theirSection, bool contested)
    {
        var winner = Claimant("a", "first", Noon, [], "gw/ai-gateway", theirSection, "gpt-4");
        var loser = Claimant("b", "second", Noon.AddSeconds(1), [], gateway, section, "gpt-4");
        Assert.Equal(contested, ClaimRules.Lost(loser, [winner]).Count == 1);
    }
}
