using System.Globalization;
using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// Resolves plain scalars by the YAML 1.2 core schema, the schema Helm and Kubernetes users expect:
/// <c>true</c>/<c>false</c>, integers, floats and <c>null</c>/<c>~</c>/empty are typed; quoted scalars are strings.
/// </summary>
public static partial class ScalarTyping
{
    public static bool IsNull(YScalar s) =>
        s.Tag is null && !s.Quoted && s.Value is "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBool(YScalar s, out bool value)
    {
        value = false;
        if (s.Quoted || (s.Tag is not null && s.Tag != "tag:yaml.org,2002:bool"))
        {
            return false;
        }

        switch (s.Value)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    public static bool TryInteger(YScalar s, out long value)
    {
        value = 0;
        if (s.Quoted || (s.Tag is not null && s.Tag != "tag:yaml.org,2002:int"))
        {
            return false;
        }

        var text = s.Value;
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            // As an unsigned number: long's hex parsing reads 0xFFFFFFFFFFFFFFFF as -1, an overflow that said "negative".
            var parsed = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex <= long.MaxValue;
            value = parsed ? (long)hex : 0;
            return parsed;
        }

        return IsIntegerText(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An integer by the core schema that no 64-bit integer holds: "out of range", not a type error.</summary>
    public static bool IsOutOfRangeInteger(YScalar s) =>
        !s.Quoted && (s.Tag is null || s.Tag == "tag:yaml.org,2002:int") && !TryInteger(s, out _)
        && (IsIntegerText(s.Value) || (s.Value.StartsWith("0x", StringComparison.Ordinal) && s.Value.Length > 2 && !s.Value.AsSpan(2).ContainsAnyExcept(HexDigits)));

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static bool IsFloat(YScalar s) => !s.Quoted && s.Tag is null && MayBeFloat(s.Value) && FloatPattern().IsMatch(s.Value);

    /// <summary>True when the scalar is a string.</summary>
    public static bool IsString(YScalar s)
    {
        if (s.Quoted)
        {
            return true;
        }

        return s.Tag is null ? IsPlainString(s.Value) : Describe(s) == "a string";
    }

    /// <summary>
    /// True when <paramref name="value"/>, written as an untagged plain scalar, reads back as a string. The same answer
    /// as <see cref="IsString"/> without a scalar to allocate: the YAML writer asks it for every key and value it writes.
    /// </summary>
    /// <remarks>
    /// Every number starts with a digit, a sign or a dot, so other values are answered without running the number
    /// patterns: binding and writing ask for thousands of them per document.
    /// </remarks>
    public static bool IsPlainString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return false;
        }

        if (value[0] is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return value is not ("~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE");
        }

        var hex = value.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);
        return !hex && !IsIntegerText(value) && !(MayBeFloat(value) && FloatPattern().IsMatch(value));
    }

    /// <summary>Says what a scalar is, for "expected X, got Y" messages.</summary>
    public static string Describe(YScalar s)
    {
        if (IsNull(s))
        {
            return "null";
        }

        if (TryBool(s, out _))
        {
            return "a boolean";
        }

        if (TryInteger(s, out _) || IsIntegerText(s.Value) && !s.Quoted)
        {
            return "an integer";
        }

        return IsFloat(s) ? "a number" : "a string";
    }

    /// <summary>What <c>^[-+]?[0-9]+\z</c> matches, by hand because binding asks it of most scalars.</summary>
    private static bool IsIntegerText(string text)
    {
        var digits = text.AsSpan();
        if (digits.Length > 0 && digits[0] is '-' or '+')
        {
            digits = digits[1..];
        }

        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// Whether <see cref="FloatPattern"/> can match at all: every float it takes starts with a sign, a dot or a digit and
    /// ends with a digit, a dot, or the f or n of inf and nan. Durations and most other strings fail this before the
    /// pattern runs.
    /// </summary>
    private static bool MayBeFloat(string text)
    {
        var end = text.Length - 1;
        return end >= 0 && text[0] is '-' or '+' or '.' or (>= '0' and <= '9')
            && text[end] is '.' or 'f' or 'F' or 'n' or 'N' or (>= '0' and <= '9');
    }

    // \z, not $: in .NET, $ also matches before a final line feed.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z|^[-+]?\.(inf|Inf|INF)\z|^\.(nan|NaN|NAN)\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
