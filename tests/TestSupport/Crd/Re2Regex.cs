using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Go RE2 patterns (CRD <c>pattern</c>) as .NET regexes. The syntax the CRDs use is shared; the differences in
/// meaning are translated: RE2's <c>$</c> matches only at the very end (.NET's also before a final newline),
/// RE2's <c>\d \w \s</c> are ASCII-only, and RE2 spells named groups <c>(?P&lt;name&gt;</c>.
/// </summary>
internal static class Re2Regex
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex Get(string pattern) =>
        Cache.GetOrAdd(pattern, p => new Regex(Translate(p), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)));

    public static string Translate(string pattern)
    {
        var output = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        var classBodyStart = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                output.Append(next switch
                {
                    'd' => inClass ? "0-9" : "[0-9]",
                    'D' when !inClass => "[^0-9]",
                    'w' => inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]",
                    'W' when !inClass => "[^0-9A-Za-z_]",
                    's' => inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]",
                    'S' when !inClass => @"[^\t\n\f\r ]",
                    _ => "\\" + next,
                });
                continue;
            }

            if (inClass)
            {
                // a ']' first in the class body is a literal, as is a '^' there
                if (i == classBodyStart && c == '^')
                {
                    classBodyStart++;
                }
                else if (c == ']' && i != classBodyStart)
                {
                    inClass = false;
                }

                output.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    classBodyStart = i + 1;
                    output.Append(c);
                    break;
                case '$':
                    output.Append(@"\z");
                    break;
                case '(' when string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0:
                    output.Append("(?<");
                    i += 3;
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }
}
