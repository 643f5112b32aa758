using System.Globalization;
using System.Text;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// Characters that must never reach a terminal or a log raw: C0 and C1 controls (NEL included), DEL, line and paragraph
/// separators, format characters (zero-width spaces and joiners, the byte-order mark, bidirectional embeddings,
/// overrides and isolates, soft hyphens), spaces other than U+0020, private-use and unassigned code points, and lone
/// surrogates. Each is written as <c>\uXXXX</c> wherever user text is shown, so a message always reads as what it holds.
/// </summary>
public static class InvisibleText
{
    /// <summary>Whether the UTF-16 unit at <paramref name="i"/> is one to escape (a valid surrogate pair is judged as its code point).</summary>
    public static bool IsUnsafeAt(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        if (c is >= ' ' and <= '~')
        {
            return false;
        }

        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            return IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])));
        }

        if (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]))
        {
            return IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i - 1], c)));
        }

        return IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c));
    }

    /// <summary>The first unit to escape, or -1; printable ASCII is answered without looking up categories.</summary>
    public static int IndexOfUnsafe(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyExceptInRange(' ', '~');
        while (i >= 0 && i < text.Length)
        {
            if (IsUnsafeAt(text, i))
            {
                return i;
            }

            var next = text[(i + 1)..].IndexOfAnyExceptInRange(' ', '~');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return -1;
    }

    /// <summary><paramref name="text"/> with every unsafe unit written as <c>\uXXXX</c> (backslashes and quotes are left alone).</summary>
    public static string Escape(string text)
    {
        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            if (IsUnsafeAt(text, i))
            {
                sb.Append("\\u").Append(((int)text[i]).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsUnsafe(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator
        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;
}
