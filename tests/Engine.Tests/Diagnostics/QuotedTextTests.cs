using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Diagnostics;

/// <summary>User text in messages and paths: quoted so that it can neither end the quoting nor break or drive the terminal.</summary>
public sealed class QuotedTextTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("a\nb\r\tc", "\"a\\nb\\r\\tc\"")]
    [InlineData("\u001b[31mred", "\"\\u001b[31mred\"")]
    [InlineData("nel\u0085ls\u2028ps\u2029del\u007f", "\"nel\\u0085ls\\u2028ps\\u2029del\\u007f\"")]
    [InlineData("ünïcödé ✓", "\"ünïcödé ✓\"")]
    [InlineData("rtl\u202egpt-4o\u202c", "\"rtl\\u202egpt-4o\\u202c\"")]
    [InlineData("zw\u200bj\u200dbom\ufeff", "\"zw\\u200bj\\u200dbom\\ufeff\"")]
    [InlineData("c1\u009bnbsp\u00a0", "\"c1\\u009bnbsp\\u00a0\"")]
    public void Quotes_and_escapes(string text, string expected) => Assert.Equal(expected, QuotedText.Quote(text));

    [Fact]
    public void A_shown_value_is_one_line_however_it_was_written()
    {
        var shown = Shown.Value("line one\nline two\r\n\u001b]0;title\u0007");
        Assert.DoesNotContain('\n', shown);
        Assert.DoesNotContain('\r', shown);
        Assert.DoesNotContain('\u001b', shown);
        Assert.DoesNotContain('\u0007', shown);
    }

    [Fact]
    public void A_long_value_is_shortened_inside_its_quotes()
    {
        var shown = Shown.Value(new string('a', 63) + "\"tail that is cut off");
        Assert.Equal("\"" + new string('a', 63) + "\\\"…\"", shown);
    }

    [Theory]
    [InlineData("team", "labels.team")]
    [InlineData("example.com/team", "labels[\"example.com/team\"]")]
    [InlineData("team\n", "labels[\"team\\n\"]")]
    [InlineData("a\"]x", "labels[\"a\\\"]x\"]")]
    [InlineData("bell\u0007", "labels[\"bell\\u0007\"]")]
    public void A_path_segment_is_bracketed_and_escaped_when_it_must_be(string key, string expected) =>
        Assert.Equal(expected, FieldPath.Child("labels", key));
}
