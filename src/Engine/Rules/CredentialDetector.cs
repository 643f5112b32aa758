using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Recognises credentials pasted where a reference belongs: by the field's name (<c>apiKey</c>, <c>token</c>, …)
/// and by the value's shape (provider key prefixes, long hex or high-entropy tokens, private keys, JWTs).
/// It errs towards calling something a credential: a withheld value in a message costs nothing, a leaked one does.
/// </summary>
public static partial class CredentialDetector
{
    private static readonly HashSet<string> CredentialFieldNames = new(StringComparer.Ordinal)
    {
        "apikey", "apikeysecret", "apikeyvalue", "key", "token", "apitoken", "accesstoken", "bearertoken", "password", "passwd",
        "secret", "secretkey", "clientsecret", "accesskey", "accesskeyid", "secretaccesskey", "credential", "credentials",
        "authorization", "auth",
    };

    /// <summary>True when a field of this name (outside the known schema) would hold a literal credential.</summary>
    public static bool IsCredentialFieldName(string name)
    {
        var folded = name.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return CredentialFieldNames.Contains(folded);
    }

    public static bool LooksLikeCredential(string value)
    {
        if (value.Length < 20)
        {
            return false;
        }

        if (KnownPrefix().IsMatch(value) || value.Contains("-----BEGIN", StringComparison.Ordinal) || Jwt().IsMatch(value))
        {
            return true;
        }

        if (value.Length >= 32 && LongHex().IsMatch(value))
        {
            return true;
        }

        return value.Length >= 32 && OpaqueToken().IsMatch(value) && HasMixedClasses(value) && Entropy(value) >= 4.0 && !IsWordStructured(value);
    }

    /// <summary>
    /// Model ids such as <c>NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO</c> are short words joined by '-', '_' or '/':
    /// mixed case, digits and high entropy like a token, but a token has long unbroken runs.
    /// </summary>
    private static bool IsWordStructured(string value)
    {
        int separators = 0, run = 0, longest = 0;
        foreach (var c in value)
        {
            if (c is '-' or '_' or '/')
            {
                separators++;
                run = 0;
            }
            else
            {
                longest = Math.Max(longest, ++run);
            }
        }

        return separators >= 3 && longest < 16;
    }

    private static bool HasMixedClasses(string value)
    {
        bool upper = false, lower = false, digit = false;
        foreach (var c in value)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        return upper && lower && digit;
    }

    private static double Entropy(string value)
    {
        Span<int> counts = stackalloc int[128];
        foreach (var c in value)
        {
            if (c < 128)
            {
                counts[c]++;
            }
        }

        double entropy = 0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / value.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    [GeneratedRegex(@"^(sk-[A-Za-z0-9_\-]{16,}|sk-ant-|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-|Bearer\s)", RegexOptions.CultureInvariant)]
    private static partial Regex KnownPrefix();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex("^[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex LongHex();

    [GeneratedRegex(@"^[A-Za-z0-9_\-+/=]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OpaqueToken();
}
