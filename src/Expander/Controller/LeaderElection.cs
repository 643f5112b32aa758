using System.Globalization;
using System.Text.Json.Nodes;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>Lease timings; the defaults are client-go's.</summary>
internal sealed record LeaseTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod)
{
    public static LeaseTimings Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
}

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease, as client-go does it: a candidate takes the Lease when it is
/// free or when its holder has not renewed it for a lease duration (timed by this candidate's own clock, from the
/// moment it last saw the record change, so clock skew does not matter); writes use the Lease's resourceVersion, so two
/// candidates cannot both win. The leader renews every retry period and steps down when it cannot renew within the
/// renew deadline. On shutdown the leader releases the Lease so that another takes over at once.
/// </summary>
internal sealed class LeaderElection(KubeClient client, string ns, string name, string identity, LeaseTimings timings, ControllerLog log)
{
    private string? observedRecord;
    private DateTime observedAt;

    public string Identity => identity;

    public bool IsLeader { get; private set; }

    /// <summary>
    /// Campaigns until leader, runs <paramref name="lead"/> while leading, and starts over when leadership is lost.
    /// Returns when <paramref name="ct"/> is cancelled, after releasing the Lease if it held it.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, bool releaseOnStop, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!await AcquireAsync(ct))
            {
                return;
            }

            log.Info($"leader election: {identity} became the leader (Lease {ns}/{name})");
            IsLeader = true;
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
            await RenewWhileLeadingAsync(ct);
            IsLeader = false;
            await leading.CancelAsync();
            await work;
            if (ct.IsCancellationRequested)
            {
                if (releaseOnStop)
                {
                    await ReleaseAsync();
                }

                return;
            }

            log.Warn($"leader election: {identity} lost the Lease; stopped reconciling, campaigning again");
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await TryAcquireOrRenewAsync(ct))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                log.Warn($"leader election: {e.Message}");
            }

            try
            {
                await Task.Delay(Jittered(timings.RetryPeriod), ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RenewWhileLeadingAsync(CancellationToken ct)
    {
        var lastRenew = DateTime.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(timings.RetryPeriod, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(timings.RenewDeadline);
                if (await TryAcquireOrRenewAsync(attempt.Token))
                {
                    lastRenew = DateTime.UtcNow;
                    continue;
                }

                return; // someone else holds it
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                log.Warn($"leader election: renewing failed ({e.GetType().Name}: {e.Message})");
            }

            if (DateTime.UtcNow - lastRenew > timings.RenewDeadline)
            {
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var path = KubePaths.Item("coordination.k8s.io", "v1", "leases", ns, name);
        var now = DateTime.UtcNow;
        var lease = await client.GetAsync(path, ct);
        if (lease is null)
        {
            await client.CreateAsync(KubePaths.Collection("coordination.k8s.io", "v1", "leases", ns), new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["spec"] = Spec(now, now, 0),
            }, ct);
            Observe(null, now);
            return true;
        }

        var spec = lease.Obj("spec");
        var holder = spec.Str("holderIdentity");
        var record = spec?.ToJsonString();
        if (record != observedRecord)
        {
            Observe(record, now);
        }

        var duration = spec?["leaseDurationSeconds"]?.GetValue<int>() is { } seconds ? TimeSpan.FromSeconds(seconds) : timings.LeaseDuration;
        var free = string.IsNullOrEmpty(holder) || holder == identity || now > observedAt + duration;
        if (!free)
        {
            return false;
        }

        var transitions = spec?["leaseTransitions"]?.GetValue<int>() ?? 0;
        var acquireTime = holder == identity ? spec.Str("acquireTime") : null;
        lease["spec"] = Spec(acquireTime is null ? now : DateTime.Parse(acquireTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            now, holder == identity ? transitions : transitions + 1);
        try
        {
            var updated = await client.ReplaceAsync(path, lease, ct);
            Observe(updated.Obj("spec")?.ToJsonString(), now);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return false; // another candidate wrote first
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var path = KubePaths.Item("coordination.k8s.io", "v1", "leases", ns, name);
            var lease = await client.GetAsync(path, timeout.Token);
            if (lease?.Obj("spec").Str("holderIdentity") != identity)
            {
                return;
            }

            var spec = lease.Obj("spec")!;
            spec["holderIdentity"] = null;
            spec["leaseDurationSeconds"] = 1;
            await client.ReplaceAsync(path, lease, timeout.Token);
            log.Info($"leader election: {identity} released the Lease");
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            log.Warn($"leader election: releasing the Lease failed ({e.Message}); another instance takes over when it expires");
        }
    }

    private JsonObject Spec(DateTime acquire, DateTime renew, int transitions) => new()
    {
        ["holderIdentity"] = identity,
        ["leaseDurationSeconds"] = (int)Math.Ceiling(timings.LeaseDuration.TotalSeconds),
        ["acquireTime"] = MicroTime(acquire),
        ["renewTime"] = MicroTime(renew),
        ["leaseTransitions"] = transitions,
    };

    private void Observe(string? record, DateTime at)
    {
        observedRecord = record;
        observedAt = at;
    }

    private static string MicroTime(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    private static TimeSpan Jittered(TimeSpan t) => t * (1 + (Random.Shared.NextDouble() * 0.2));
}
