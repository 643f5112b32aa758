using System.Text;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// Strings that make a YAML writer choose: every style, every indicator and break YAML knows, typed look-alikes,
/// Unicode at the edges, long keys around the 1,024-character limit of an implicit key. Seeded, so a failure repeats.
/// </summary>
internal static class TrickyStrings
{
    public static readonly IReadOnlyList<string> Handwritten =
    [
        "", " ", "  ", "a", "plain text", " leading", "trailing ", "  both  ",
        "yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "false", "null", "Null", "NULL", "~",
        "0", "-0", "007", "443", "-1", "+1", "0x1f", "0x1F", "0xZZ", "0o17", "0b101", "1e3", "1E3", "1.5", ".5", "5.",
        ".inf", "-.inf", "+.inf", ".Inf", ".nan", ".NaN", "99999999999999999999", "1_000", "12:30", "2026-11-26",
        "-", "--", "---", "----", "---a", "...", "....", "...a", "- ", "- x", "-x", "? x", "?x", "?", ": ", ":", "x:", ":x", "a:b", "a: b",
        "a :b", "#", "#x", "a#b", "a #b", "a\t#b", " #", "& x", "&x", "*x", "a *b", "a\t*b", "!x", "!!str", "|", "|-", ">", "> x",
        "'", "''", "'x'", "it's", "\"", "\"x\"", "say \"hi\"", "\\", "a\\b", "\\n", "%x", "@x", "`x", ",x", "x,y", "[x]", "{x}",
        "x[0]", "a{b}", "=", "<<", "\t", "\tx", "x\t", "a\tb", "\r", "a\rb", "\r\n", "a\r\nb", "\n", "\n\n", "\n\n\n", "a\n", "a\nb",
        "a\nb\n", "a\nb\n\n", "\na", "\n\na", " a\nb", "  a\n  b\n", "a\n  b", "a\n\tb", "a \nb", "a\n \nb", "a\n  \nb",
        "  \na", "  \n", " \n ", "a\n ", "\t\na", "line one\nline two\nline three\n", "key: value\nlist:\n- a\n- b\n",
        "\0", "a\0b", "\u0001", "\u0007", "\b", "\v", "\f", "\u001B", "\u007F", "\u0080", "\u0085", "a\u0085b", "\u009F",
        "\u00A0", "a\u00A0", "\u2028", "a\u2028b", "\u2029", "a\u2029b\n", "\uFEFF", "\uFEFFa", "a\uFEFF", "\uFFFE", "\uFFFF",
        "é", "日本語", "Ωmega", "😀", "a😀b", "😀\n😀", "\uD800", "\uDC00", "a\uD800b", "a\uDC00\n",
        "http://example.com/a?b=c#d", "api.openai.com", "gpt-4o-mini", "team-a/models", "models.ai-gateway.io/source",
        new string('z', 1024), new string('z', 1025), "*" + new string('z', 1022), "*" + new string('z', 1023),
        "0" + new string('1', 1023), "\"" + new string('z', 1021), new string('\u0001', 200),
        new string('x', 40_000), "1" + new string('0', 40_000), string.Concat(Enumerable.Repeat("\u00e9\"", 20_000)),
        string.Join("\n", Enumerable.Repeat("a long line of text", 200)),
    ];

    private static readonly string[] Atoms =
    [
        "", " ", "  ", "a", "b", "x y", "yes", "no", "on", "off", "true", "True", "null", "~", "0x1f", "1e3", ".inf", "-.inf",
        ".nan", "-", ":", ": ", " #", "#", "- x", "? x", "?", "'", "\"", "\\", "\t", "\r", "\n", "\r\n", "é", "日本", "😀",
        "\u0085", "\u2028", "\u2029", "\uFEFF", "\0", "\u0001", "\u007F", "\u009F", "\u00A0", "\uFFFE", "---", "...", "a:b",
        "a#b", "[", "]", "{", "}", ",", "&", "*", " *", "!", "|", ">", "%", "@", "`", "123", "-1", "+1", "1.5", "0o17", "<<",
        "=", "key", "value", "\n\n", "  \n", " \n ", "\n  x", "name: x", "- item",
    ];

    private static readonly string[] Characters =
    [
        "a", "Z", "0", "9", " ", " ", "\t", "\n", "\n", "\r", "-", ":", "#", "?", "'", "\"", "\\", ",", "[", "{", "&", "*", "!",
        "|", ">", "%", "@", "`", ".", "~", "\0", "\u0001", "\u001F", "\u007F", "\u0085", "\u00A0", "é", "\u2028", "\u2029",
        "\uFEFF", "\uFFFD", "\uFFFE", "😀", "中",
    ];

    /// <summary>Random strings; <paramref name="loneSurrogates"/> adds unpaired surrogates, which no YAML text can hold.</summary>
    public static IEnumerable<string> Random(int seed, int count, bool loneSurrogates)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = random.Next(10) switch
            {
                < 5 => Concatenate(random, Atoms, random.Next(1, 5)),
                < 6 => Concatenate(random, Characters, random.Next(0, 13)),
                < 7 => AnyCharacters(random, random.Next(1, 6), loneSurrogates),
                < 9 => MultiLine(random),
                _ => Long(random),
            };

            if (loneSurrogates && random.Next(40) == 0)
            {
                text = text.Insert(random.Next(text.Length + 1), random.Next(2) == 0 ? "\uD83D" : "\uDE00");
            }

            yield return text;
        }
    }

    public static bool HasUnpairedSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Characters from anywhere in the Basic Multilingual Plane, mixed with a few of the interesting ones.</summary>
    private static string AnyCharacters(Random random, int count, bool loneSurrogates)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var c = (char)random.Next(random.Next(2) == 0 ? 0x100 : 0x10000);
            sb.Append(char.IsSurrogate(c) && !loneSurrogates ? "x" : c.ToString());
            sb.Append(Characters[random.Next(Characters.Length)]);
        }

        return sb.ToString();
    }

    private static string Concatenate(Random random, string[] parts, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append(parts[random.Next(parts.Length)]);
        }

        return sb.ToString();
    }

    /// <summary>Text like a values file: lines, some indented, some blank, 0 to 3 trailing line breaks.</summary>
    private static string MultiLine(Random random)
    {
        var sb = new StringBuilder();
        var lines = random.Next(1, 6);
        var lineBreak = random.Next(8) == 0 ? "\r\n" : "\n";
        for (var i = 0; i < lines; i++)
        {
            if (i > 0)
            {
                sb.Append(lineBreak);
            }

            sb.Append(' ', random.Next(3) == 0 ? random.Next(1, 5) : 0);
            sb.Append(random.Next(4) == 0 ? "" : Concatenate(random, Atoms, random.Next(1, 3)));
        }

        sb.Append(lineBreak[^1], random.Next(4));
        return sb.ToString();
    }

    /// <summary>Around the 1,024 characters YAML allows an implicit key, quoted or not.</summary>
    private static string Long(Random random)
    {
        var prefix = Concatenate(random, Atoms, random.Next(0, 2));
        return prefix + new string('z', Math.Max(0, random.Next(1015, 1030) - prefix.Length));
    }
}
