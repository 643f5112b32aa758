using System.Buffers;

namespace AiGatewayModels.Engine.Rendering.Emitter;

internal enum ScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// <summary>What the writer asks for; the text may still force another style.</summary>
internal enum RequestedStyle
{
    /// <summary>Plain if YAML allows it, else quoted (numbers, booleans and null: always plain in practice).</summary>
    Plain,

    /// <summary>A string: plain or quoted on one line, a literal block over several.</summary>
    Any,

    /// <summary>A string that would read as another type if plain.</summary>
    DoubleQuoted,

    /// <summary>Multi-line text.</summary>
    Literal,
}

/// <summary>
/// Picks a scalar's style as YamlDotNet's <c>Emitter.SelectScalarStyle</c> did for the events the old writer sent
/// (block context, no tags), so that the text stays byte-identical, with one departure: where YamlDotNet's choice
/// would not read back as the same string (with YamlDotNet, the reader the engine uses, or any reader at all), the
/// scalar is double-quoted instead. Those inputs, all unusual in manifests:
/// <list type="bullet">
/// <item>a multi-line string with a carriage return, NEL (U+0085), LS (U+2028) or PS (U+2029): YamlDotNet's literal
/// and folded blocks write CR and NEL as line feeds, and YAML 1.1 and 1.2 readers disagree on LS and PS;</item>
/// <item>a multi-line string with an unprintable character (a control character, an unpaired surrogate, U+FFFE),
/// which YamlDotNet wrote raw into a literal block where YAML does not allow it;</item>
/// <item>a multi-line string whose first line is two or more spaces and nothing else, which YamlDotNet's reader
/// refuses ("found extra spaces in first line"), and a lone line feed, whose literal block (<c>|2</c> and an empty
/// line) reads back as the empty string;</item>
/// <item>a single-line string with a tab at its start or end, which YamlDotNet wrote plain and a reader strips;</item>
/// <item>a key whose last word starts with <c>*</c> (<c>a *b</c>), which YamlDotNet wrote plain and its reader, taking
/// the word for an alias, reads with the colon and the value as one scalar when the key starts a mapping.</item>
/// </list>
/// The equivalence tests hold every other input to YamlDotNet's bytes and these to a faithful round trip.
/// Single quotes are only chosen for one line: the values written plain (numbers, booleans) never span lines.
/// </summary>
internal static class ScalarStyleChoice
{
    private static readonly SearchValues<char> UnsafeBreaks = SearchValues.Create("\r\u0085\u2028\u2029");

    public static ScalarStyle Select(string value, in ScalarAnalysis analysis, RequestedStyle requested, bool isSimpleKey)
    {
        var style = requested switch
        {
            // YamlDotNet folded these; without a line feed only CR, NEL, LS or PS make a string multi-line.
            RequestedStyle.Any when analysis.IsMultiline => ScalarStyle.DoubleQuoted,
            RequestedStyle.Any or RequestedStyle.Plain => Plain(value, analysis, isSimpleKey),
            RequestedStyle.Literal => Literal(value, analysis, isSimpleKey),
            _ => ScalarStyle.DoubleQuoted,
        };

        return style == ScalarStyle.Plain && (HasEdgeTab(value) || (isSimpleKey && HasAliasLookalike(value))) ? ScalarStyle.DoubleQuoted : style;
    }

    private static ScalarStyle Plain(string value, in ScalarAnalysis analysis, bool isSimpleKey)
    {
        if (value.Length == 0 && isSimpleKey)
        {
            return ScalarStyle.SingleQuoted;
        }

        if (analysis.IsPlainAllowed)
        {
            return ScalarStyle.Plain;
        }

        return analysis.IsSingleQuotedAllowed && !analysis.HasSingleQuotes && !analysis.IsMultiline ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted;
    }

    private static ScalarStyle Literal(string value, in ScalarAnalysis analysis, bool isSimpleKey) =>
        analysis.IsBlockAllowed && !isSimpleKey && value.AsSpan().IndexOfAny(UnsafeBreaks) < 0 && AllPrintable(value)
            && !StartsWithLineOfSpaces(value) && value != "\n"
            ? ScalarStyle.Literal
            : ScalarStyle.DoubleQuoted;

    private static bool StartsWithLineOfSpaces(string value)
    {
        var firstOther = value.AsSpan().IndexOfAnyExcept(' ');
        return firstOther >= 2 && value[firstOther] == '\n';
    }

    private static bool AllPrintable(string value)
    {
        foreach (var c in value)
        {
            if (!ScalarAnalysis.IsPrintable(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasEdgeTab(string value) => value.Length > 0 && (value[0] == '\t' || value[^1] == '\t');

    private static bool HasAliasLookalike(string value)
    {
        var lastBlank = value.AsSpan().LastIndexOfAny(' ', '\t');
        return lastBlank >= 0 && lastBlank + 1 < value.Length && value[lastBlank + 1] == '*';
    }
}
