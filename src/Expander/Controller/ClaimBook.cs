using System.Collections.Concurrent;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The expander is the one writer, so it decides every contested claim (<see cref="ClaimRules"/>: the older ConfigMap
/// wins). This book keeps the footprint of every values ConfigMap the watch knows (evaluated again only when its values
/// or the policy change), remembers who lost to whom, and queues the ConfigMaps whose outcome a reconcile changed: the
/// losers of a new winner (so that they withdraw what they applied) and those of a winner that went away or gave the
/// claim up (so that they take it over). It decides the policy's ceilings per namespace the same way (the older
/// ConfigMaps count first), and queues those whose answer changed.
/// </summary>
internal sealed class ClaimBook(ConfigMapWatcher configMaps, Action<string> enqueue)
{
    private readonly ConcurrentDictionary<string, (string Uid, string Values, ModelsPolicy Policy, Footprint? Footprint)> footprints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> winnersOf = new(StringComparer.Ordinal); // loser key → winner keys
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> refusedIn = new(StringComparer.Ordinal); // namespace → ConfigMaps over its ceilings
    private readonly Lock gate = new();

    /// <summary>
    /// Why <paramref name="cm"/> does not fit under the policy's ceilings of its namespace (<see cref="NamespaceCeilings"/>:
    /// the older values ConfigMaps count first), or null. Queues the ConfigMaps of the namespace whose answer this changed.
    /// </summary>
    public string? NamespaceRefusal(ValuesConfigMap cm, Footprint mine, ModelsPolicy policy)
    {
        var me = new Claimant(cm.Namespace, cm.Name, cm.Uid, cm.Created, mine);
        var refused = NamespaceCeilings.Refused([me, .. Others(cm, policy).Where(o => o.Namespace == cm.Namespace)], policy.Ceilings);
        var keys = refused.Keys.ToHashSet(StringComparer.Ordinal);
        List<string> changed;
        lock (gate)
        {
            var before = refusedIn.TryGetValue(cm.Namespace, out var known) ? known : new HashSet<string>(StringComparer.Ordinal);
            refusedIn[cm.Namespace] = keys;
            changed = [.. keys.Union(before).Where(k => k != cm.Key && keys.Contains(k) != before.Contains(k))];
        }

        foreach (var key in changed)
        {
            enqueue(key); // refused now and applied before (an older ConfigMap grew), or the other way round
        }

        return refused.GetValueOrDefault(cm.Key);
    }

    /// <summary>Decides the claims of <paramref name="cm"/> against every other values ConfigMap known that fits its namespace's ceilings.</summary>
    public ClaimOutcome Decide(ValuesConfigMap cm, Footprint mine, ModelsPolicy policy)
    {
        var me = new Claimant(cm.Namespace, cm.Name, cm.Uid, cm.Created, mine);
        var all = Others(cm, policy);
        var refused = all.GroupBy(o => o.Namespace, StringComparer.Ordinal)
            .SelectMany(g => NamespaceCeilings.Refused(g.Key == cm.Namespace ? [me, .. g] : g, policy.Ceilings).Keys)
            .ToHashSet(StringComparer.Ordinal);
        var others = all.Where(o => !refused.Contains(o.Key)).ToList(); // a ConfigMap refused for its size applies nothing, so it claims nothing

        var lost = ClaimRules.Lost(me, others);
        var beaten = ClaimRules.Beaten(me, others);
        var winners = lost.Select(l => l.Winner.Key).ToHashSet(StringComparer.Ordinal);
        var requeue = new List<string>();
        lock (gate)
        {
            if (winners.Count > 0)
            {
                winnersOf[cm.Key] = winners;
            }
            else
            {
                winnersOf.TryRemove(cm.Key, out _);
            }

            var beatenKeys = beaten.Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (loser, theirWinners) in winnersOf)
            {
                // lost to me before, and no longer: they may take the claim now
                if (theirWinners.Contains(cm.Key) && !beatenKeys.Contains(loser))
                {
                    requeue.Add(loser);
                }
            }

            // newly beaten: they must withdraw what they applied of it
            requeue.AddRange(beatenKeys.Where(b => !(winnersOf.TryGetValue(b, out var w) && w.Contains(cm.Key))));
        }

        foreach (var key in requeue.Distinct(StringComparer.Ordinal))
        {
            enqueue(key);
        }

        return new ClaimOutcome(lost, beaten.Select(b => b.Uid).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// A ConfigMap went away, or its values are not used (invalid, or refused for their size): the claims it won are handed
    /// over to those that lost them, and those of its namespace refused for their size may fit now.
    /// </summary>
    public void Forget(string key)
    {
        footprints.TryRemove(key, out _);
        List<string> losers;
        lock (gate)
        {
            winnersOf.TryRemove(key, out _);
            losers = [.. winnersOf.Where(w => w.Value.Contains(key)).Select(w => w.Key)];

            // only a ConfigMap that counted frees room (one refused for its size calls this too, and must not wake the others
            // refused with it, which would wake it again)
            if (refusedIn.TryGetValue(key[..key.IndexOf('/', StringComparison.Ordinal)], out var refused) && !refused.Contains(key))
            {
                losers.AddRange(refused);
            }
        }

        foreach (var loser in losers.Distinct(StringComparer.Ordinal))
        {
            enqueue(loser);
        }
    }

    /// <summary>Every other values ConfigMap known whose values are valid under <paramref name="policy"/>, as a claimant.</summary>
    private List<Claimant> Others(ValuesConfigMap cm, ModelsPolicy policy)
    {
        var others = new List<Claimant>();
        foreach (var other in configMaps.All)
        {
            if (other.Key != cm.Key && FootprintOf(other, policy) is { } theirs)
            {
                others.Add(new Claimant(other.Namespace, other.Name, other.Uid, other.Created, theirs));
            }
        }

        return others;
    }

    private Footprint? FootprintOf(ValuesConfigMap cm, ModelsPolicy policy)
    {
        if (!cm.Marked || cm.ValuesYaml is not { } values)
        {
            return null;
        }

        if (footprints.TryGetValue(cm.Key, out var known) && known.Uid == cm.Uid && ReferenceEquals(known.Policy, policy) && string.Equals(known.Values, values, StringComparison.Ordinal))
        {
            return known.Footprint;
        }

        var model = ValuesEvaluator.Evaluate(new ValuesDocument(cm.Namespace, cm.Name, values, cm.Uid), policy).Model;
        var footprint = model is null ? null : Footprint.Of(model);
        footprints[cm.Key] = (cm.Uid, values, policy, footprint);
        return footprint;
    }
}

/// <summary>The claims a ConfigMap lost (with the objects they withhold), and the UIDs of the ConfigMaps it beat.</summary>
internal sealed record ClaimOutcome(IReadOnlyList<LostClaim> Lost, IReadOnlySet<string> BeatenUids)
{
    /// <summary>No claim decided (the values were not used): nothing lost, nothing to take over.</summary>
    public static ClaimOutcome None { get; } = new([], new HashSet<string>(StringComparer.Ordinal));

    public IReadOnlySet<string> Withheld { get; } = Lost.SelectMany(l => l.Objects).ToHashSet(StringComparer.Ordinal);
}
