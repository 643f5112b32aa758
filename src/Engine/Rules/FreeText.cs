using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Bounds for the values' free-text fields (a model id, a path prefix): what a client, Envoy and the CRDs can carry
/// unchanged, and what a reader sees as it is. Text that is blank, padded, over-long or holds control, invisible or
/// bidirectional characters is refused: two ids that look alike must not route differently.
/// </summary>
public static class FreeText
{
    /// <summary>Model ids are short; the longest real ones (Vertex AI resource names, Bedrock ARNs) are about 120 characters.</summary>
    public const int MaxModelIdLength = 256;

    /// <summary>An API path prefix such as <c>/v1beta/openai</c>.</summary>
    public const int MaxPrefixLength = 256;

    /// <summary>What is wrong with a model id (a modelMatch or modelNameOverride), or null.</summary>
    public static string? ModelIdProblem(string id)
    {
        if (id.Length == 0 || string.IsNullOrWhiteSpace(id))
        {
            return "is blank";
        }

        if (id.Length > MaxModelIdLength)
        {
            return $"is {id.Length} characters long; model ids have at most {MaxModelIdLength}";
        }

        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            return "starts or ends with white space, which clients do not send";
        }

        return InvisibleText.IndexOfUnsafe(id) >= 0
            ? "holds a control, invisible, bidirectional or other non-printing character (written \\uXXXX here), so it would not read as what it matches"
            : null;
    }

    /// <summary>What is wrong with an API path prefix, or null: a plain absolute path of unreserved characters.</summary>
    public static string? PrefixProblem(string prefix)
    {
        if (prefix.Length == 0 || prefix[0] != '/')
        {
            return "must start with '/'";
        }

        if (prefix.Length > MaxPrefixLength)
        {
            return $"is {prefix.Length} characters long; at most {MaxPrefixLength}";
        }

        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~'))
            {
                return c is '?' or '#'
                    ? "holds a query or fragment ('?' or '#'); a prefix is a path only"
                    : "may hold only letters, digits, '/', '-', '.', '_' and '~' (no spaces, '%'-escapes, control or non-ASCII characters)";
            }
        }

        if (prefix.Contains("//", StringComparison.Ordinal))
        {
            return "holds an empty segment ('//')";
        }

        foreach (var segment in prefix.Split('/'))
        {
            if (segment is "." or "..")
            {
                return "holds a '.' or '..' segment, which proxies resolve away";
            }
        }

        return null;
    }
}
