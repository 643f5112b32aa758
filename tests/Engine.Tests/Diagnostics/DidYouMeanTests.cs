using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Diagnostics;

public sealed class DidYouMeanTests
{
    private static readonly string[] Keys = ["gatewayRef", "rateLimitPolicy", "backends", "models"];

    [Theory]
    [InlineData("model", "models")]
    [InlineData("backend", "backends")]
    [InlineData("gatewayref", "gatewayRef")]
    [InlineData("GATEWAYREF", "gatewayRef")]
    [InlineData("ratelimitpolicy", "rateLimitPolicy")]
    [InlineData("rateLimitPolcy", "rateLimitPolicy")]
    [InlineData("modles", "models")]
    public void Close_words_are_suggested(string given, string expected) =>
        Assert.Equal($" (did you mean \"{expected}\"?)", DidYouMean.Suggest(given, Keys));

    [Theory]
    [InlineData("region")]
    [InlineData("x")]
    [InlineData("routes")]
    public void Distant_words_get_no_suggestion(string given) => Assert.Equal(string.Empty, DidYouMean.Suggest(given, Keys));

    [Fact]
    public void No_candidates_means_no_suggestion() => Assert.Equal(string.Empty, DidYouMean.Suggest("models", []));

    [Fact]
    public void Ties_go_to_the_ordinal_first_candidate() =>
        Assert.Equal(" (did you mean \"ab\"?)", DidYouMean.Suggest("aa", ["ba", "ab"]));

    [Fact]
    public void The_threshold_grows_with_the_word()
    {
        // two edits are always allowed; a third only from nine characters on (length / 3)
        Assert.Equal(" (did you mean \"abcdef\"?)", DidYouMean.Suggest("abcdxx", ["abcdef"]));
        Assert.Equal(string.Empty, DidYouMean.Suggest("abcxxx", ["abcdef"]));
        Assert.Equal(" (did you mean \"abcdefghi\"?)", DidYouMean.Suggest("abcdefxxx", ["abcdefghi"]));
    }

    [Fact]
    public void Very_long_words_are_not_compared() =>
        Assert.Equal(string.Empty, DidYouMean.Suggest(new string('a', 300), [new string('a', 299)]));
}
