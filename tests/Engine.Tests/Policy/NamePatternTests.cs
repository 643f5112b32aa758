using AiGatewayModels.Engine.Policy;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Policy;

public sealed class NamePatternTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", true)]
    [InlineData("*.openai.azure.com", "team-a.openai.azure.com", true)]
    [InlineData("*.openai.azure.com", "a.b.openai.azure.com", true)]
    [InlineData("*.openai.azure.com", "openai.azure.com", false)]
    [InlineData("*.openai.azure.com", "evilopenai.azure.com", false)]
    [InlineData("*.openai.azure.com", ".openai.azure.com", false)]
    [InlineData("team-*", "team-a", true)]
    [InlineData("team-*", "team-", true)]
    [InlineData("team-*", "teams", false)]
    [InlineData("api.openai.com", "api.openai.com", true)]
    [InlineData("api.openai.com", "API.OpenAI.com", true)]
    [InlineData("api.openai.com", "api.openai.com.evil.example", false)]
    [InlineData("localhost", "localhost.example", false)]
    public void Patterns_match_as_documented(string pattern, string name, bool expected) => Assert.Equal(expected, NamePattern.Matches(pattern, name));

    [Theory]
    [InlineData("gateway-system/*", "gateway-system", "anything", true)]
    [InlineData("gateway-system/*", "default", "anything", false)]
    [InlineData("*/shared", "any", "shared", true)]
    [InlineData("team-*/ai-*", "team-a", "ai-gateway", true)]
    [InlineData("team-*/ai-*", "team-a", "gateway", false)]
    [InlineData("shared", "any-namespace", "shared", true)]
    public void Qualified_patterns_match_namespace_and_name_separately(string pattern, string ns, string name, bool expected) =>
        Assert.Equal(expected, NamePattern.MatchesQualified(pattern, ns, name));

    [Fact]
    public void FirstMatch_returns_the_first_pattern_in_order()
    {
        Assert.Equal("*.svc", NamePattern.FirstMatch(["localhost", "*.svc", "*"], "a.svc"));
        Assert.Null(NamePattern.FirstMatch(["localhost", "*.svc"], "api.openai.com"));
    }
}
