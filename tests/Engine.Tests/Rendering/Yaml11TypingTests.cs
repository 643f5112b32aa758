using AiGatewayModels.Engine.Rendering.Emitter;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>The strings a YAML 1.1 reader (go-yaml v2: kubectl, Helm) types otherwise when written plain.</summary>
public sealed class Yaml11TypingTests
{
    [Theory]
    [InlineData("on")]
    [InlineData("Off")]
    [InlineData("yes")]
    [InlineData("NO")]
    [InlineData("y")]
    [InlineData("N")]
    [InlineData("<<")]
    [InlineData("0b1")]
    [InlineData("-0b101")]
    [InlineData("0o17")]
    [InlineData("017")]
    [InlineData("1_000")]
    [InlineData("0x_1F")]
    [InlineData("1.")]
    [InlineData("+.5e3")]
    [InlineData(".5")]
    [InlineData(".Inf")]
    [InlineData("2024-01-02")]
    [InlineData("2024-1-2T10:00:00Z")]
    [InlineData("")]
    public void Quotes_what_go_yaml_v2_reads_as_another_type(string text) => Assert.True(Yaml11Typing.Retypes(text));

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("onion")]
    [InlineData("yesterday")]
    [InlineData("60s")]
    [InlineData("1h30m")]
    [InlineData("v1")]
    [InlineData("-abc")]
    [InlineData("2024-01")]
    [InlineData("claude-3-5-sonnet-20241022")]
    [InlineData("10.0.0.1")]
    public void Leaves_plain_what_go_yaml_v2_reads_as_a_string(string text) => Assert.False(Yaml11Typing.Retypes(text));
}
