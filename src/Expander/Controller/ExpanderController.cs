using System.Diagnostics;
using AiGatewayModels.Common.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// <c>expander run</c>: leader election, then the watches (values ConfigMaps, the policy, generated objects), the work
/// queue with its workers, and the periodic resync. /metrics and /healthz are served whether or not this instance leads.
/// </summary>
internal sealed class ExpanderController : IDisposable
{
    private readonly KubeClient client;
    private readonly ControllerOptions options;
    private readonly ControllerLog log;
    private readonly MetricsServer? metricsServer;
    private readonly Liveness liveness;
    private volatile WorkQueue? activeQueue;
    private volatile bool leading;

    public ExpanderController(KubeClient client, ControllerOptions options, ControllerLog log)
    {
        this.client = client;
        this.options = options;
        this.log = log;
        liveness = new Liveness(options);
        Metrics = new ControllerMetrics
        {
            IsLeader = () => leading,
            ApiCalls = () => (client.Calls.Reads, client.Calls.Writes),
            QueueDepth = () => activeQueue?.Depth ?? 0,
        };
        // one policy watch for the life of the process (its metrics too); it runs while this instance leads
        Policy = new PolicyWatch(client, options.Namespace, options.PolicyConfigMap, Metrics.Meter, "expander", log);
        if (options.MetricsBindAddress is { } address)
        {
            metricsServer = new MetricsServer(MetricsServer.Parse(address), Metrics, () => liveness.Check(DateTime.UtcNow), log);
            metricsServer.Start();
        }
    }

    public ControllerMetrics Metrics { get; }

    public PolicyWatch Policy { get; }

    public System.Net.IPEndPoint? MetricsEndpoint => metricsServer?.LocalEndpoint;

    public bool IsLeader => leading;

    public string Identity => options.Identity;

    public async Task RunAsync(CancellationToken ct)
    {
        var serving = metricsServer?.RunAsync(ct) ?? Task.CompletedTask;
        if (options.LeaderElect)
        {
            if (options.Namespace is null)
            {
                throw new ArgumentException("leader election needs the expander's namespace: --namespace or POD_NAMESPACE (or --leader-elect=false)");
            }

            var election = new LeaderElection(client, options.Namespace, options.LeaseName, options.Identity, options.Lease, log);
            liveness.Elected(election);
            await election.RunAsync(LeadAsync, options.ReleaseLeaseOnStop, ct);
        }
        else
        {
            await LeadAsync(ct);
        }

        await serving;
        log.Info("expander stopped");
    }

    public void Dispose()
    {
        metricsServer?.Dispose();
        Metrics.Dispose();
    }

    private async Task LeadAsync(CancellationToken ct)
    {
        leading = true;
        try
        {
            await ReconcileLoopAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping (or no longer leading) while a request was in flight
        }
        finally
        {
            leading = false;
            liveness.Watching(null);
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken ct)
    {
        liveness.Starting();
        var queue = new WorkQueue(options.MinRetry, options.MaxRetry);
        activeQueue = queue;
        var configMaps = new ConfigMapWatcher(client, options.WatchNamespaces, queue.Add, log, Metrics.WatchExpired);
        void RequeueAll()
        {
            foreach (var key in configMaps.Keys)
            {
                queue.Add(key);
            }
        }

        Policy.Changed += RequeueAll;
        var discovery = options.Discovery ?? new ApiDiscovery(client);
        var applier = new Applier(client, options.ApplyParallelism, log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var sourceSecrets = new SourceSecretWatcher(client, queue.Add, log, stop.Token);
        Metrics.SourceSecretWatches = () => sourceSecrets.Count;
        try
        {
            var policyTask = Policy.RunAsync(stop.Token);
            // the policy first, so that the first reconciles judge by it
            while (!Policy.Synced && !stop.IsCancellationRequested)
            {
                await Delay(TimeSpan.FromMilliseconds(50), stop.Token);
            }

            IReadOnlyList<string> served = [];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    served = await discovery.ServedAsync(stop.Token);
                    break;
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException || (e is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    log.Warn($"discovery failed ({e.Message}); retrying");
                    await Delay(TimeSpan.FromSeconds(2), stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // stopped (lost the lead, or shut down) while discovery was in flight: nothing to reconcile any more
                }
            }

            var drift = new DriftWatcher(client, options.WatchNamespaces, ApiVersionSelection.From(served, unmentionedAreServed: false),
                key => configMaps.Get(key) is not null, (key, delay) => queue.AddAfter(key, delay, stop.Token), log);
            Metrics.CachedObjects = () => drift.Count;
            // live objects come from the drift watcher's cache once it has synced (a LIST per kind until then)
            var reconciler = new Reconciler(client, configMaps, Policy, discovery, applier, new Pruner(client), new SecretProjector(client),
                sourceSecrets, new ClaimBook(configMaps, queue.Add), options.LiveObjectsFromCache ? drift : null, new EventRecorder(client, log, options.Identity), Metrics, log);
            var tasks = new List<Task>
            {
                policyTask,
                configMaps.RunAsync(stop.Token),
                drift.RunAsync(stop.Token),
                ResyncAsync(configMaps, queue, stop.Token),
            };
            tasks.AddRange(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(i => WorkerAsync(i, queue, reconciler, stop.Token)));
            liveness.Watching(() => [.. configMaps.Watchers, .. Policy.Watcher is { } p ? [p] : Array.Empty<ListWatcher>(), .. drift.Watchers, .. sourceSecrets.Watchers]);
            Metrics.ConfigMaps = () => configMaps.Synced ? configMaps.Count : null;
            Metrics.Readiness = () => configMaps.Synced ? configMaps.Readiness() : [];
            log.Info($"reconciling values ConfigMaps in {(options.WatchNamespaces is { } scoped ? string.Join(", ", scoped) : "all namespaces")} with {options.Workers} workers, resync every {options.ResyncPeriod.TotalSeconds:F0} s");
            await Task.WhenAll(tasks);
        }
        finally
        {
            Policy.Changed -= RequeueAll;
            Metrics.ConfigMaps = () => null;
            Metrics.Readiness = () => [];
            activeQueue = null;
        }
    }

    private async Task WorkerAsync(int worker, WorkQueue queue, Reconciler reconciler, CancellationToken ct)
    {
        while (await queue.TakeAsync(ct) is { } key)
        {
            var watch = Stopwatch.StartNew();
            liveness.Busy(worker, key);
            try
            {
                var result = await reconciler.ReconcileAsync(key, ct);
                Metrics.Reconciled(result == ReconcileResult.Done ? "done" : "retry", watch.Elapsed.TotalSeconds);
                if (result == ReconcileResult.Done)
                {
                    queue.Forget(key);
                }
                else
                {
                    queue.AddRateLimited(key, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // stopping: an in-flight reconcile is abandoned; the next leader starts from the cluster's state
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                Metrics.Error();
                Metrics.Reconciled("error", watch.Elapsed.TotalSeconds);
                var delay = queue.AddRateLimited(key, ct);
                log.Warn($"reconcile {key} failed ({e.GetType().Name}: {e.Message}); retrying in {delay.TotalSeconds:F1} s");
            }
            finally
            {
                liveness.Idle(worker);
                queue.Done(key);
            }
        }
    }

    private async Task ResyncAsync(ConfigMapWatcher configMaps, WorkQueue queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Delay(options.ResyncPeriod, ct);
            foreach (var key in configMaps.Keys)
            {
                queue.Add(key);
            }
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
