namespace AiGatewayModels.Engine.Claims;

/// <summary>A values ConfigMap as a party to claims: who it is, when it was created, and what it claims.</summary>
public sealed record Claimant(string Namespace, string Name, string Uid, DateTimeOffset Created, Footprint Footprint)
{
    public string Key => Namespace + "/" + Name;

    /// <summary>The older ConfigMap wins; at the same second, the namespace, then the name, in ordinal order.</summary>
    public bool Precedes(Claimant other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var byTime = Created.CompareTo(other.Created);
        if (byTime != 0)
        {
            return byTime < 0;
        }

        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace < 0 : string.CompareOrdinal(Name, other.Name) < 0;
    }
}

/// <summary>A claim one ConfigMap lost to an older one: why, to whom, and the objects of the loser it withholds.</summary>
public sealed record LostClaim(string Message, Claimant Winner, IReadOnlyList<string> Objects);

/// <summary>
/// Who gets a contested claim: a generated object (a kind and name in one namespace) or a model id on a Gateway
/// listener. Each claim goes to its oldest claimant, so the outcome does not depend on who was seen first, and the
/// expander (the one writer) can apply it; the webhook's collision check is only the early warning. Messages name a
/// ConfigMap of another namespace only as "another namespace".
/// </summary>
public static class ClaimRules
{
    /// <summary>The claims <paramref name="me"/> loses to older ConfigMaps among <paramref name="others"/>.</summary>
    public static IReadOnlyList<LostClaim> Lost(Claimant me, IEnumerable<Claimant> others)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(others);
        var lost = new List<LostClaim>();
        foreach (var winner in others.Where(o => o.Uid != me.Uid && o.Precedes(me)).OrderBy(o => o, Comparer<Claimant>.Create(Order)))
        {
            var (objects, matches) = Contested(me.Footprint, winner.Footprint);
            var who = Describe(winner, me.Namespace);
            if (objects.Count > 0)
            {
                var more = objects.Count > 1 ? $" (and {objects.Count - 1} more)" : string.Empty;
                lost.Add(new LostClaim($"the generated {objects[0]}{more} is claimed by the older {who}; rename the backend or model (or its resourceName)", winner, objects));
            }

            foreach (var match in matches)
            {
                lost.Add(new LostClaim($"modelMatch \"{match}\" on Gateway {me.Footprint.Gateway} is claimed by the older {who}; use another modelMatch or Gateway",
                    winner, [me.Footprint.ModelMatches[match]]));
            }
        }

        return lost;
    }

    /// <summary>The ConfigMaps among <paramref name="others"/> that lose a claim to <paramref name="me"/>.</summary>
    public static IReadOnlyList<Claimant> Beaten(Claimant me, IEnumerable<Claimant> others)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(others);
        return [.. others.Where(o => o.Uid != me.Uid && me.Precedes(o) && Contested(o.Footprint, me.Footprint) is var (objects, matches) && (objects.Count > 0 || matches.Count > 0))];
    }

    /// <summary>"ConfigMap ns/name" in the same namespace; "ConfigMap in another namespace" otherwise.</summary>
    public static string Describe(Claimant other, string viewerNamespace)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Namespace == viewerNamespace ? $"ConfigMap {other.Namespace}/{other.Name}" : "ConfigMap in another namespace";
    }

    /// <summary>What <paramref name="mine"/> and <paramref name="theirs"/> both claim: objects (in rendering order), then model ids (sorted).</summary>
    public static (IReadOnlyList<string> Objects, IReadOnlyList<string> ModelMatches) Contested(Footprint mine, Footprint theirs)
    {
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(theirs);
        IReadOnlyList<string> objects = mine.Namespace == theirs.Namespace
            ? [.. mine.Objects.Where(theirs.ObjectSet.Contains)]
            : [];
        IReadOnlyList<string> matches = mine.SharesListener(theirs)
            ? [.. mine.ModelMatches.Keys.Where(theirs.ModelMatches.ContainsKey).Order(StringComparer.Ordinal)]
            : [];
        return (objects, matches);
    }

    private static int Order(Claimant a, Claimant b) => a.Precedes(b) ? -1 : b.Precedes(a) ? 1 : 0;
}
