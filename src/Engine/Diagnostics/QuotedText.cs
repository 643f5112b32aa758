using System.Globalization;
using System.Text;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// User text inside a message or a path, double-quoted with JSON-style escapes: a quote or backslash cannot end the
/// quoting early, and a line feed, carriage return, other control character or an invisible one cannot break a message
/// into lines, drive the terminal that kubectl prints it on, or make it read differently from what it holds.
/// </summary>
internal static class QuotedText
{
    /// <summary>True when <paramref name="text"/> has a character that <see cref="Quote"/> escapes.</summary>
    public static bool NeedsEscapes(ReadOnlySpan<char> text) => text.ContainsAny('"', '\\') || InvisibleText.IndexOfUnsafe(text) >= 0;

    public static string Quote(ReadOnlySpan<char> text)
    {
        if (!NeedsEscapes(text))
        {
            return string.Concat("\"", text, "\"");
        }

        var sb = new StringBuilder(text.Length + 8).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when InvisibleText.IsUnsafeAt(text, i) => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
