namespace AiGatewayModels.Engine.Policy;

/// <summary>
/// The small pattern language of the policy: <c>*</c> alone matches everything, <c>*.example.com</c> matches
/// any name below example.com (not example.com itself), <c>team-*</c> matches by prefix, anything else matches exactly.
/// </summary>
public static class NamePattern
{
    public static bool Matches(string pattern, string name)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return name.AsSpan().EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase) && name.Length > pattern.Length - 1;
        }

        if (pattern.EndsWith('*'))
        {
            return name.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
    }

    public static string? FirstMatch(IReadOnlyList<string> patterns, string name)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (Matches(patterns[i], name))
            {
                return patterns[i];
            }
        }

        return null;
    }

    /// <summary>Matches <c>namespace/name</c> patterns segment by segment.</summary>
    public static bool MatchesQualified(string pattern, string ns, string name)
    {
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? Matches(pattern, name)
            : Matches(pattern[..slash], ns) && Matches(pattern[(slash + 1)..], name);
    }
}
