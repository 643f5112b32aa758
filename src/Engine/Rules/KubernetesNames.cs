using System.Buffers;
using System.Text.RegularExpressions;

namespace AiGatewayModels.Engine.Rules;

/// <summary>Kubernetes' own name rules (apimachinery's validation package), so that we reject what the apiserver would.</summary>
public static partial class KubernetesNames
{
    private static readonly SearchValues<char> LabelCharacters = SearchValues.Create("-abcdefghijklmnopqrstuvwxyz0123456789");

    public const int DnsLabelMaxLength = 63;
    public const int DnsSubdomainMaxLength = 253;
    public const int LabelValueMaxLength = 63;

    public static bool IsDnsLabel(string s) => s.Length is > 0 and <= DnsLabelMaxLength && IsLabel(s);

    public static bool IsDnsSubdomain(string s)
    {
        if (s.Length is 0 or > DnsSubdomainMaxLength)
        {
            return false;
        }

        var name = s.AsSpan();
        foreach (var label in name.Split('.'))
        {
            if (!IsLabel(name[label]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A DNS host name: a subdomain whose every label also fits DNS's 63-octet limit (Kubernetes checks only the total).</summary>
    public static bool IsDnsHostname(string s) => IsDnsSubdomain(s) && LongestLabel(s) <= DnsLabelMaxLength;

    public static bool IsLabelValue(string s) => s.Length <= LabelValueMaxLength && (s.Length == 0 || QualifiedNamePart().IsMatch(s));

    /// <summary>Label and annotation keys: an optional DNS-subdomain prefix and a slash, then a name of at most 63 characters.</summary>
    public static bool IsQualifiedName(string s)
    {
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? s : s[(slash + 1)..];
        if (slash >= 0 && !IsDnsSubdomain(s[..slash]))
        {
            return false;
        }

        return name.Length is > 0 and <= 63 && QualifiedNamePart().IsMatch(name);
    }

    private static int LongestLabel(string s)
    {
        int run = 0, longest = 0;
        foreach (var c in s)
        {
            run = c == '.' ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>Secret data keys: what <c>IsConfigMapKey</c> accepts.</summary>
    public static bool IsSecretKey(string s) => s.Length is > 0 and <= DnsSubdomainMaxLength && s != "." && s != ".." && SecretKey().IsMatch(s);

    /// <summary>
    /// What <c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c> matches: checked by hand, because every backend, model and slot name is
    /// one and the generated matcher backtracks.
    /// </summary>
    private static bool IsLabel(ReadOnlySpan<char> s) =>
        s.Length > 0 && s[0] != '-' && s[^1] != '-' && !s.ContainsAnyExcept(LabelCharacters);

    // \z, not $: in .NET, $ also matches before a final line feed, and Kubernetes (Go's regexp) refuses a name with one.
    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();
}
