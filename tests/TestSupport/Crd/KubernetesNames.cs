using System.Text.RegularExpressions;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation): each check returns the problems with a
/// value, empty when it is valid.
/// </summary>
public static partial class KubernetesNames
{
    public const int DnsSubdomainMaxLength = 253;
    public const int DnsLabelMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int AnnotationsMaxTotalBytes = 256 * 1024;

    /// <summary>RFC 1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters (object names).</summary>
    public static IReadOnlyList<string> CheckDnsSubdomain(string value)
    {
        var problems = new List<string>();
        if (value.Length > DnsSubdomainMaxLength)
        {
            problems.Add($"must be no more than {DnsSubdomainMaxLength} characters");
        }

        if (!DnsSubdomain().IsMatch(value))
        {
            problems.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }

        return problems;
    }

    /// <summary>RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters (namespaces).</summary>
    public static IReadOnlyList<string> CheckDnsLabel(string value)
    {
        var problems = new List<string>();
        if (value.Length > DnsLabelMaxLength)
        {
            problems.Add($"must be no more than {DnsLabelMaxLength} characters");
        }

        if (!DnsLabel().IsMatch(value))
        {
            problems.Add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
        }

        return problems;
    }

    /// <summary>A qualified name: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters (label and annotation keys, finalizers).</summary>
    public static IReadOnlyList<string> CheckQualifiedName(string value)
    {
        var problems = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    problems.Add("prefix part must be non-empty");
                }
                else
                {
                    problems.AddRange(CheckDnsSubdomain(parts[0]).Select(p => "prefix part " + p));
                }

                break;
            default:
                problems.Add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return problems;
        }

        if (name.Length == 0)
        {
            problems.Add("name part must be non-empty");
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            problems.Add($"name part must be no more than {QualifiedNameMaxLength} characters");
        }

        if (name.Length > 0 && !QualifiedNamePart().IsMatch(name))
        {
            problems.Add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return problems;
    }

    /// <summary>A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.</summary>
    public static IReadOnlyList<string> CheckLabelValue(string value)
    {
        var problems = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            problems.Add($"must be no more than {LabelValueMaxLength} characters");
        }

        if (!LabelValue().IsMatch(value))
        {
            problems.Add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return problems;
    }

    /// <summary>A ConfigMap or Secret data key: alphanumerics, '-', '_' and '.', at most 253 characters, not '.' or '..'.</summary>
    public static IReadOnlyList<string> CheckConfigMapKey(string value)
    {
        var problems = new List<string>();
        if (value.Length > DnsSubdomainMaxLength)
        {
            problems.Add($"must be no more than {DnsSubdomainMaxLength} characters");
        }

        if (!ConfigMapKey().IsMatch(value))
        {
            problems.Add("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
        }

        if (value is "." or ".." || value.StartsWith("..", StringComparison.Ordinal))
        {
            problems.Add("must not be '.' or '..' and must not start with '..'");
        }

        return problems;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKey();
}
