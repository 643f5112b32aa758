using System.Buffers;
using System.Globalization;

namespace AiGatewayModels.Engine.Rendering.Emitter;

/// <summary>The inside of a double-quoted scalar, escaped as YamlDotNet escapes it: breaks and unprintable characters only.</summary>
internal static class DoubleQuoted
{
    // Printable ASCII other than the quote and the backslash, and the tab: written as they are.
    private static readonly SearchValues<char> Verbatim =
        SearchValues.Create("\t !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static void Write(ReadOnlySpan<char> text, TextBuffer output)
    {
        while (!text.IsEmpty)
        {
            var run = text.IndexOfAnyExcept(Verbatim);
            if (run < 0)
            {
                output.Append(text);
                return;
            }

            output.Append(text[..run]);
            text = text[run..];
            var c = text[0];
            if (c != '"' && c != '\\' && ScalarAnalysis.IsPrintable(c) && !ScalarAnalysis.IsBreak(c))
            {
                output.Append(c);
                text = text[1..];
                continue;
            }

            output.Append('\\');
            if (ShortEscape(c) is { } letter)
            {
                output.Append(letter);
            }
            else if (c <= '\u00FF')
            {
                Hex('x', c, 2, output);
            }
            else if (char.IsHighSurrogate(c) && text.Length > 1 && char.IsLowSurrogate(text[1]))
            {
                Hex('U', char.ConvertToUtf32(c, text[1]), 8, output);
                text = text[1..];
            }
            else
            {
                // An unpaired surrogate has no YAML form; YamlDotNet threw on a high one and escaped a low one like this.
                Hex('u', c, 4, output);
            }

            text = text[1..];
        }
    }

    /// <summary>How many characters <see cref="Write"/> writes for <paramref name="text"/>.</summary>
    public static int Length(ReadOnlySpan<char> text)
    {
        var length = text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (Verbatim.Contains(c) || (c != '"' && c != '\\' && ScalarAnalysis.IsPrintable(c) && !ScalarAnalysis.IsBreak(c)))
            {
                continue;
            }

            if (ShortEscape(c) is not null)
            {
                length += 1;
            }
            else if (c <= '\u00FF')
            {
                length += 3;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length += 8;
                i++;
            }
            else
            {
                length += 5;
            }
        }

        return length;
    }

    private static char? ShortEscape(char c) => c switch
    {
        '\0' => '0',
        '\a' => 'a',
        '\b' => 'b',
        '\n' => 'n',
        '\v' => 'v',
        '\f' => 'f',
        '\r' => 'r',
        '\e' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u0085' => 'N',
        '\u2028' => 'L',
        '\u2029' => 'P',
        _ => null,
    };

    private static void Hex(char kind, int code, int digits, TextBuffer output)
    {
        Span<char> hex = stackalloc char[8];
        code.TryFormat(hex, out _, digits == 2 ? "X2" : digits == 4 ? "X4" : "X8", CultureInfo.InvariantCulture);
        output.Append(kind);
        output.Append(hex[..digits]);
    }
}
