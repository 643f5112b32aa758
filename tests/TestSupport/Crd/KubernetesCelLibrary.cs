using System.Text;
using Cel;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Makes the Cel package evaluate Kubernetes validation rules: registers the Kubernetes CEL extension functions
/// that the CRDs use, and rewrites the two standard functions whose Cel-package meaning differs from
/// Kubernetes': <c>has()</c> (the package answers false for a present empty string, list or map, as protobuf
/// presence does; Kubernetes answers true) and <c>matches()</c> (RE2 semantics).
/// </summary>
internal static class KubernetesCelLibrary
{
    public const string HasFunction = "k8sHas";
    public const string MatchesFunction = "k8sMatches";

    /// <summary>The Cel package's marker for a field that is not in a map (an internal type).</summary>
    private const string NoSuchFieldType = "Cel.Internal.CelNoSuchField";

    public static void Register(CelEnvironment env)
    {
        env.RegisterFunction(HasFunction, [typeof(object)], a => a[0]?.GetType().FullName != NoSuchFieldType);
        env.RegisterFunction(MatchesFunction, [typeof(string), typeof(string)], a => Re2Regex.Get((string)a[1]!).IsMatch((string)a[0]!));
        env.RegisterFunction("lowerAscii", [typeof(string)], a => MapAscii((string)a[0]!, char.ToLowerInvariant));
        env.RegisterFunction("upperAscii", [typeof(string)], a => MapAscii((string)a[0]!, char.ToUpperInvariant));
        env.RegisterFunction("trim", [typeof(string)], a => ((string)a[0]!).Trim());
        env.RegisterFunction("split", [typeof(string), typeof(string)], a => ((string)a[0]!).Split((string)a[1]!).Cast<object?>().ToArray());
        env.RegisterFunction("join", [typeof(object[])], a => string.Concat(((object?[])a[0]!).Cast<string>()));
        env.RegisterFunction("join", [typeof(object[]), typeof(string)], a => string.Join((string)a[1]!, ((object?[])a[0]!).Cast<string>()));
        env.RegisterFunction("isURL", [typeof(string)], a => IsUrl((string)a[0]!));
    }

    /// <summary>Renames <c>has(</c> and <c>matches(</c> outside string literals to the Kubernetes-semantics functions.</summary>
    public static string Rewrite(string rule)
    {
        var output = new StringBuilder(rule.Length + 16);
        var i = 0;
        while (i < rule.Length)
        {
            var c = rule[i];
            if (c is '"' or '\'' || (c is 'r' or 'R' or 'b' or 'B' && i + 1 < rule.Length && rule[i + 1] is '"' or '\'' && !IsIdentifierChar(Previous(rule, i))))
            {
                var end = StringLiteralEnd(rule, i);
                output.Append(rule, i, end - i);
                i = end;
                continue;
            }

            if (IsIdentifierStart(c) && !IsIdentifierChar(Previous(rule, i)))
            {
                var start = i;
                while (i < rule.Length && IsIdentifierChar(rule[i]))
                {
                    i++;
                }

                var word = rule[start..i];
                var calls = NextNonSpace(rule, i) == '(';
                var isMember = PreviousNonSpace(rule, start) == '.';
                output.Append(word switch
                {
                    "has" when calls && !isMember => HasFunction,
                    "matches" when calls => MatchesFunction,
                    _ => word,
                });
                continue;
            }

            output.Append(c);
            i++;
        }

        return output.ToString();
    }

    private static int StringLiteralEnd(string rule, int start)
    {
        var i = start;
        var raw = false;
        if (rule[i] is not ('"' or '\''))
        {
            raw = rule[i] is 'r' or 'R';
            i++;
        }

        var quote = rule[i];
        var triple = i + 2 < rule.Length && rule[i + 1] == quote && rule[i + 2] == quote;
        var delimiter = new string(quote, triple ? 3 : 1);
        i += delimiter.Length;
        while (i < rule.Length)
        {
            if (!raw && rule[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (string.CompareOrdinal(rule, i, delimiter, 0, delimiter.Length) == 0)
            {
                return i + delimiter.Length;
            }

            i++;
        }

        return rule.Length;
    }

    private static string MapAscii(string text, Func<char, char> map) =>
        string.Concat(text.Select(ch => ch < 128 ? map(ch) : ch));

    private static bool IsUrl(string text) =>
        text.StartsWith('/') || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme.Length > 0);

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsIdentifierChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private static char Previous(string text, int i) => i > 0 ? text[i - 1] : ' ';

    private static char PreviousNonSpace(string text, int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (!char.IsWhiteSpace(text[j]))
            {
                return text[j];
            }
        }

        return ' ';
    }

    private static char NextNonSpace(string text, int i)
    {
        for (var j = i; j < text.Length; j++)
        {
            if (!char.IsWhiteSpace(text[j]))
            {
                return text[j];
            }
        }

        return ' ';
    }
}
