using k8s.Models;

namespace AiGatewayModels.Kube;

/// <summary>Lease timings; the defaults are client-go's.</summary>
public sealed record LeaseTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod)
{
    public static LeaseTimings Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
}

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease, as client-go does it (KubernetesClient.Aot has no
/// elector): a candidate takes the Lease when it has no holder or when its holder has not renewed it for a lease
/// duration (timed by this candidate's own clock, from the moment it last saw the record change, so clock skew does not
/// matter); writes carry the Lease's resourceVersion, so two candidates cannot both win. The leader renews every retry
/// period and steps down when it cannot renew within the renew deadline. On shutdown the leader releases the Lease as
/// client-go does (holder "", duration 1 s), so that another candidate, ours or any client-go-compatible one, takes over
/// at once.
/// </summary>
public sealed class LeaderElection(KubeClient client, string ns, string name, string identity, LeaseTimings timings, IKubeLog log)
{
    private string? observedRecord;
    private DateTime observedAt;

    public string Identity => identity;

    public bool IsLeader { get; private set; }

    /// <summary>UTC time of the last attempt to take or renew the Lease, whatever its result: the loop is alive.</summary>
    public DateTime LastAttempt { get; private set; } = DateTime.UtcNow;

    /// <summary>
    /// Campaigns until leader, runs <paramref name="lead"/> while leading, and starts over when leadership is lost.
    /// Returns when <paramref name="ct"/> is cancelled, after releasing the Lease if it held it.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, bool releaseOnStop, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lead);
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
            try
            {
                await work;
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                // the work stopped because leading ended: what it was doing is abandoned, the Lease still released
            }
            if (ct.IsCancellationRequested)
            {
                if (releaseOnStop)
                {
                    await ReleaseAsync();
                }

                return;
            }

            log.Warn($"leader election: {identity} lost the Lease; stopped leading, campaigning again");
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
            finally
            {
                LastAttempt = DateTime.UtcNow;
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
            finally
            {
                LastAttempt = DateTime.UtcNow;
            }

            if (DateTime.UtcNow - lastRenew > timings.RenewDeadline)
            {
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var lease = await ReadAsync(ct);
        if (lease is null)
        {
            try
            {
                var created = await client.CreateAsync(ApiResource.Leases, ns, new V1Lease
                {
                    ApiVersion = "coordination.k8s.io/v1",
                    Kind = "Lease",
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                    Spec = Spec(now, now, 0),
                }, KubeModels.Default.V1Lease, ct);
                Observe(Record(created.Spec), now);
                return true;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                return false; // another candidate created it first
            }
        }

        var spec = lease.Spec ?? new V1LeaseSpec();
        var record = Record(spec);
        if (record != observedRecord)
        {
            Observe(record, now);
        }

        var duration = spec.LeaseDurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : timings.LeaseDuration;
        var holder = spec.HolderIdentity;
        var free = string.IsNullOrEmpty(holder) || holder == identity || now > observedAt + duration;
        if (!free)
        {
            return false;
        }

        var transitions = spec.LeaseTransitions ?? 0;
        lease.Metadata.ManagedFields = null; // unchanged by an update that omits them; no need to send them back
        lease.Spec = Spec(holder == identity && spec.AcquireTime is { } acquired ? acquired : now, now, holder == identity ? transitions : transitions + 1);
        try
        {
            var updated = await client.ReplaceAsync(ApiResource.Leases, ns, name, lease, KubeModels.Default.V1Lease, ct);
            Observe(Record(updated.Spec), now);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return false; // another candidate wrote first
        }
    }

    private Task<V1Lease?> ReadAsync(CancellationToken ct) => client.GetAsync(ApiResource.Leases, ns, name, KubeModels.Default.V1Lease, ct);

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lease = await ReadAsync(timeout.Token);
            if (lease?.Spec?.HolderIdentity != identity)
            {
                return;
            }

            // client-go's release: an empty holder (not an absent one: the C# client's LeaderElector takes a Lease
            // without a holder for one that does not exist, and would try to create it forever) and a 1 s duration
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.ReplaceAsync(ApiResource.Leases, ns, name, lease, KubeModels.Default.V1Lease, timeout.Token);
            log.Info($"leader election: {identity} released the Lease");
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            log.Warn($"leader election: releasing the Lease failed ({e.Message}); another instance takes over when it expires");
        }
    }

    private V1LeaseSpec Spec(DateTime acquire, DateTime renew, int transitions) => new()
    {
        HolderIdentity = identity,
        LeaseDurationSeconds = (int)Math.Ceiling(timings.LeaseDuration.TotalSeconds),
        AcquireTime = acquire,
        RenewTime = renew,
        LeaseTransitions = transitions,
    };

    // what identifies a version of the record: any change of it (a renewal above all) restarts the expiry clock
    private static string Record(V1LeaseSpec? spec) =>
        spec is null ? string.Empty : FormattableString.Invariant($"{spec.HolderIdentity}|{spec.LeaseDurationSeconds}|{spec.AcquireTime:O}|{spec.RenewTime:O}|{spec.LeaseTransitions}");

    private void Observe(string? record, DateTime at)
    {
        observedRecord = record;
        observedAt = at;
    }

    private static TimeSpan Jittered(TimeSpan t) => t * (1 + (Random.Shared.NextDouble() * 0.2));
}
