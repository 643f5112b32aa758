using System.Buffers;
using System.Globalization;
using System.Text;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// User text inside a message or a path, double-quoted with JSON-style escapes: a quote or backslash cannot end the
/// quoting early, and a line feed, carriage return or other control character cannot break a message into lines or
/// drive the terminal that kubectl prints it on.
/// </summary>
internal static class QuotedText
{
    private static readonly SearchValues<char> Special = SearchValues.Create(
        "\"\\\u007f\u0085\u2028\u2029\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    /// <summary>True when <paramref name="text"/> has a character that <see cref="Quote"/> escapes.</summary>
    public static bool NeedsEscapes(ReadOnlySpan<char> text) => text.IndexOfAny(Special) >= 0;

    public static string Quote(ReadOnlySpan<char> text)
    {
        if (!NeedsEscapes(text))
        {
            return string.Concat("\"", text, "\"");
        }

        var sb = new StringBuilder(text.Length + 8).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when Special.Contains(c) => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
