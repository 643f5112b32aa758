using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rendering.Emitter;

/// <summary>
/// Strings that a YAML 1.1 reader types as something else when they are written plain. kubectl, Helm and Argo CD read
/// manifests with go-yaml v2 (through sigs.k8s.io/yaml), which resolves plain scalars by YAML 1.1's rules: <c>on</c>,
/// <c>yes</c>, <c>n</c> are booleans, <c>0b1</c>, <c>0o17</c> and <c>1_000</c> integers, <c>2024-01-02</c> a timestamp,
/// <c>&lt;&lt;</c> a merge key. Our own reader (YAML 1.2 core) reads them all as strings, so the writer quotes a string
/// when either reading would type it: the output then means the same to every tool, as <c>helm template</c>'s does.
/// </summary>
/// <remarks>
/// Follows go-yaml v2's <c>resolve</c> (resolve.go): its table of words, <c>strconv.ParseInt</c>/<c>ParseUint</c> with
/// base 0 after removing underscores, its float pattern and its timestamp layouts. Where in doubt it quotes: a quoted
/// string is read as that string by every reader, so quoting too much costs two characters and nothing else.
/// </remarks>
internal static partial class Yaml11Typing
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        "~", "null", "Null", "NULL",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        "<<",
    };

    /// <summary>True when a YAML 1.1 reader would not read <paramref name="text"/>, written plain, as this string.</summary>
    public static bool Retypes(string text)
    {
        if (text.Length == 0 || Words.Contains(text))
        {
            return true;
        }

        var first = text[0];
        if (first == '.')
        {
            return DotFloat().IsMatch(text);
        }

        if (first is not ((>= '0' and <= '9') or '+' or '-'))
        {
            return false;
        }

        if (Timestamp().IsMatch(text))
        {
            return true;
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        return Integer().IsMatch(plain) || Float().IsMatch(plain);
    }

    // strconv.ParseInt/ParseUint with base 0: decimal, 0x, 0o, 0b and a leading 0 for octal, with a sign.
    [GeneratedRegex("^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    // go-yaml v2's yamlStyleFloat.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();

    // strconv.ParseFloat of a text that starts with a dot.
    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotFloat();

    // The layouts go-yaml v2 tries (2006-1-2, with a time after T, t or a space): quoted on the date alone.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();
}
