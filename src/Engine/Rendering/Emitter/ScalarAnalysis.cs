using System.Buffers;

namespace AiGatewayModels.Engine.Rendering.Emitter;

/// <summary>
/// Which styles can carry a scalar's text, decided character by character exactly as YamlDotNet's emitter decides
/// (<c>Emitter.AnalyzeScalar</c>, block context, Unicode output): the output must stay byte-identical to the text
/// YamlDotNet wrote before, so its rules are kept even where YAML would allow more (a leading <c>?</c>, say).
/// </summary>
internal readonly record struct ScalarAnalysis(bool IsMultiline, bool IsPlainAllowed, bool IsSingleQuotedAllowed, bool IsBlockAllowed, bool HasSingleQuotes)
{
    /// <summary>Characters that are harmless anywhere but in first place: printable ASCII without space, <c>:</c> and <c>#</c>.</summary>
    private static readonly SearchValues<char> QuietAfterFirst =
        SearchValues.Create("!\"$%&'()*+,-./0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static ScalarAnalysis Of(string value)
    {
        if (value.Length == 0)
        {
            return new(IsMultiline: false, IsPlainAllowed: false, IsSingleQuotedAllowed: true, IsBlockAllowed: false, HasSingleQuotes: false);
        }

        // Most names, hostnames and versions: a letter or digit, then nothing that could end or start a token.
        if (char.IsAsciiLetterOrDigit(value[0]) && value.AsSpan(1).IndexOfAnyExcept(QuietAfterFirst) < 0)
        {
            return new(IsMultiline: false, IsPlainAllowed: true, IsSingleQuotedAllowed: true, IsBlockAllowed: true, HasSingleQuotes: value.Contains('\'', StringComparison.Ordinal));
        }

        return Analyze(value);
    }

    private static ScalarAnalysis Analyze(string value)
    {
        var blockIndicators = value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal);
        var precededByWhitespace = true;
        var followedByWhitespace = IsWhiteBreakOrZero(value, 1);

        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false, leadingQuote = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false, lineOfSpaces = false;
        bool lineBreaks = false, specialCharacters = false, singleQuotes = false, linesOfSpaces = false;

        var last = value.Length - 1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (i == 0)
            {
                if (c is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '"' or '%' or '@' or '`' or '\'')
                {
                    blockIndicators = true;
                    leadingQuote = c == '\'';
                    singleQuotes |= c == '\'';
                }

                if ((c is '?' or ':' or '-') && followedByWhitespace)
                {
                    blockIndicators = true;
                }
            }
            else
            {
                if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace))
                {
                    blockIndicators = true;
                }

                singleQuotes |= c == '\'';
            }

            specialCharacters |= !IsPrintable(c);
            var isBreak = IsBreak(c);
            lineBreaks |= isBreak;
            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= i == last;
                if (previousBreak)
                {
                    breakSpace = true;
                    lineOfSpaces = true;
                }

                previousSpace = true;
                previousBreak = false;
            }
            else if (isBreak)
            {
                leadingBreak |= i == 0;
                trailingBreak |= i == last;
                spaceBreak |= previousSpace;
                linesOfSpaces |= lineOfSpaces;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
                lineOfSpaces = false;
            }

            precededByWhitespace = IsWhiteBreakOrZero(c);
            followedByWhitespace = IsWhiteBreakOrZero(value, i + 2);
        }

        var plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || leadingQuote
            || breakSpace || spaceBreak || specialCharacters || lineBreaks || blockIndicators);
        var singleQuoted = !(breakSpace || spaceBreak || specialCharacters);
        var block = !(trailingSpace || linesOfSpaces);
        return new(lineBreaks, plain, singleQuoted, block, singleQuotes);
    }

    /// <summary>YAML's line breaks as YamlDotNet reads and writes them (YAML 1.1: NEL, LS and PS too).</summary>
    public static bool IsBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Characters YAML allows unescaped; a surrogate half counts as unprintable, as in YamlDotNet.</summary>
    public static bool IsPrintable(char c) =>
        c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');

    // The end of the text counts as whitespace, and so does a NUL character: YamlDotNet pads its look-ahead with NULs.
    private static bool IsWhiteBreakOrZero(string value, int index) => index >= value.Length || IsWhiteBreakOrZero(value[index]);

    private static bool IsWhiteBreakOrZero(char c) => c is ' ' or '\t' or '\0' || IsBreak(c);
}
