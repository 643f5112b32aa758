using System.Collections.Concurrent;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>One check of <c>/healthz</c>: its name and, when it fails, why.</summary>
internal sealed record HealthCheck(string Name, string? Problem);

/// <summary>
/// What <c>/healthz</c> answers: whether the loops that a restart would fix are alive. A restart does not bring back an
/// apiserver, so an unreachable one is not a failure (the loops keep trying); a loop that stopped, hangs, or a worker
/// stuck in one reconcile is. Checks: leader election (an attempt at least every <see cref="ControllerOptions.StallAfter"/>);
/// while leading, every watch (a step at least every watch duration plus that grace: see <see cref="ListWatcher.StalledFor"/>)
/// and the workers (none busy on one ConfigMap for longer than <see cref="ControllerOptions.ReconcileStallAfter"/>), and
/// the reconcile loop's start (discovery, the policy's first LIST) within the same bound.
/// </summary>
internal sealed class Liveness(ControllerOptions options)
{
    private readonly ConcurrentDictionary<int, (string Key, DateTime Since)> busy = new();
    private volatile LeaderElection? election;
    private volatile Func<IEnumerable<ListWatcher>>? watches;
    private DateTime? startingSince;

    public void Elected(LeaderElection e) => election = e;

    /// <summary>The reconcile loop is starting (waiting for the policy's first LIST and for discovery).</summary>
    public void Starting() => startingSince = DateTime.UtcNow;

    /// <summary>The reconcile loop runs these watches (null: it stopped, this instance does not lead).</summary>
    public void Watching(Func<IEnumerable<ListWatcher>>? loops)
    {
        watches = loops;
        startingSince = null;
    }

    public void Busy(int worker, string key) => busy[worker] = (key, DateTime.UtcNow);

    public void Idle(int worker) => busy.TryRemove(worker, out _);

    public IReadOnlyList<HealthCheck> Check(DateTime now)
    {
        var checks = new List<HealthCheck>();
        if (election is { } e)
        {
            var quiet = now - e.LastAttempt;
            checks.Add(new("leader-election", quiet > options.StallAfter ? $"no attempt to take or renew the Lease for {quiet.TotalSeconds:F0} s" : null));
        }

        if (startingSince is { } since && now - since > options.StallAfter)
        {
            checks.Add(new("reconcile-loop", $"starting for {(now - since).TotalSeconds:F0} s (the policy ConfigMap's first LIST or discovery does not answer)"));
        }

        if (watches?.Invoke() is { } loops)
        {
            var stalled = loops.Select(w => w.StalledFor(now, options.StallAfter)).Where(p => p is not null).ToList();
            checks.Add(new("watches", stalled.Count == 0 ? null : string.Join("; ", stalled.Take(5)) + (stalled.Count > 5 ? $" (and {stalled.Count - 5} more)" : string.Empty)));
            var stuck = busy.Values.Where(b => now - b.Since > options.ReconcileStallAfter).Select(b => $"{b.Key} for {(now - b.Since).TotalSeconds:F0} s").ToList();
            checks.Add(new("workers", stuck.Count == 0 ? null : "a worker is stuck reconciling " + string.Join(", ", stuck)));
        }

        return checks;
    }
}
