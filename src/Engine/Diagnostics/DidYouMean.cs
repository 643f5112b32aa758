namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>Suggests the closest known word for a misspelt key or reference.</summary>
public static class DidYouMean
{
    /// <summary>Returns " (did you mean "x"?)" or an empty string when nothing is close enough.</summary>
    public static string Suggest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Close means: a couple of typos, or the same word in another case.
        var threshold = Math.Max(2, given.Length / 3);
        return best is not null && bestDistance <= threshold ? $" (did you mean \"{best}\"?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
