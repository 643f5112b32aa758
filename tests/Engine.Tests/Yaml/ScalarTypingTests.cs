using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Yaml;

/// <summary>The YAML 1.2 core schema: what a plain scalar means, and that quoting always makes a string.</summary>
public sealed class ScalarTypingTests
{
    private static YScalar Plain(string text) => new(text, quoted: false, tag: null, 1, 1);

    private static YScalar Quoted(string text) => new(text, quoted: true, tag: null, 1, 1);

    [Theory]
    [InlineData("443", "an integer")]
    [InlineData("-1", "an integer")]
    [InlineData("+7", "an integer")]
    [InlineData("0x1F", "an integer")]
    [InlineData("99999999999999999999", "an integer")]
    [InlineData("1.5", "a number")]
    [InlineData("1e3", "a number")]
    [InlineData(".inf", "a number")]
    [InlineData(".nan", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("False", "a boolean")]
    [InlineData("TRUE", "a boolean")]
    [InlineData("null", "null")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("yes", "a string")]
    [InlineData("on", "a string")]
    [InlineData("1m", "a string")]
    [InlineData("0o17", "a string")]
    [InlineData("api.openai.com", "a string")]
    public void Plain_scalars_are_typed_by_the_core_schema(string text, string kind) => Assert.Equal(kind, ScalarTyping.Describe(Plain(text)));

    [Theory]
    [InlineData("443")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("1.5")]
    public void Quoted_scalars_are_strings(string text)
    {
        Assert.Equal("a string", ScalarTyping.Describe(Quoted(text)));
        Assert.False(ScalarTyping.TryInteger(Quoted(text), out _));
        Assert.False(ScalarTyping.TryBool(Quoted(text), out _));
        Assert.False(ScalarTyping.IsNull(Quoted(text)));
    }

    [Theory]
    [InlineData("443", 443L)]
    [InlineData("-1", -1L)]
    [InlineData("0x10", 16L)]
    [InlineData("007", 7L)]
    public void Integers_parse(string text, long expected)
    {
        Assert.True(ScalarTyping.TryInteger(Plain(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1_000")]
    [InlineData("99999999999999999999")]
    [InlineData("12abc")]
    public void Non_integers_and_overflow_do_not_parse(string text) => Assert.False(ScalarTyping.TryInteger(Plain(text), out _));

    [Fact]
    public void Tags_decide_over_the_text()
    {
        Assert.True(ScalarTyping.TryInteger(new YScalar("5", false, "tag:yaml.org,2002:int", 1, 1), out _));
        Assert.False(ScalarTyping.TryInteger(new YScalar("5", false, "tag:yaml.org,2002:float", 1, 1), out _));
        Assert.True(ScalarTyping.TryBool(new YScalar("true", false, "tag:yaml.org,2002:bool", 1, 1), out var b) && b);
        Assert.False(ScalarTyping.IsNull(new YScalar("null", false, "tag:yaml.org,2002:str", 1, 1)));
    }

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("yes")]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("True")]
    [InlineData("false")]
    [InlineData("443")]
    [InlineData("-1")]
    [InlineData("123\n")]
    [InlineData("0x1F")]
    [InlineData("0xZZ")]
    [InlineData("0x")]
    [InlineData("0x12345678901234567")]
    [InlineData("1e3")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("0o17")]
    [InlineData("nginx")]
    [InlineData("t")]
    [InlineData("1m")]
    public void A_plain_string_is_what_an_unquoted_scalar_of_that_text_describes_as_a_string(string text) =>
        Assert.Equal(ScalarTyping.Describe(Plain(text)) == "a string", ScalarTyping.IsPlainString(text));

    [Fact]
    public void A_plain_string_is_what_describe_says_for_tricky_and_random_text()
    {
        foreach (var text in Rendering.TrickyStrings.Handwritten.Concat(Rendering.TrickyStrings.Random(seed: 3, count: 20000, loneSurrogates: true)))
        {
            Assert.True((ScalarTyping.Describe(Plain(text)) == "a string") == ScalarTyping.IsPlainString(text), System.Text.Json.JsonSerializer.Serialize(text));
        }
    }
}
