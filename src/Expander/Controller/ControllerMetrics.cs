using System.Diagnostics.Metrics;
using AiGatewayModels.Common.Metrics;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The controller's instruments (System.Diagnostics.Metrics, one meter per controller instance) and their Prometheus
/// text, written by the exporter both programs share. The gauges read the live state through the callbacks the
/// controller sets.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly MetricSet set = new("AiGatewayModels.Expander");
    private readonly Counter<long> reconciles;
    private readonly Counter<long> errors;
    private readonly Counter<long> applied;
    private readonly Counter<long> pruned;
    private readonly Counter<long> conflicts;
    private readonly Counter<long> liveLists;
    private readonly Counter<long> relists;
    private readonly Histogram<double> duration;

    public ControllerMetrics()
    {
        var m = set.Meter;
        reconciles = m.CreateCounter<long>("expander_reconciles_total", description: "Reconciles of values ConfigMaps, by result.");
        errors = set.Counter("expander_reconcile_errors_total", "Reconciles that failed and were retried with backoff.");
        applied = set.Counter("expander_objects_applied_total", "Objects written by server-side apply.");
        pruned = set.Counter("expander_objects_pruned_total", "Objects deleted because they are no longer desired.");
        conflicts = set.Counter("expander_conflicts_total", "Desired objects left untouched because another owner has them.");
        m.CreateObservableCounter("expander_api_reads_total", () => ApiCalls().Reads, description: "GET requests sent to the apiserver (watches included).");
        m.CreateObservableCounter("expander_api_writes_total", () => ApiCalls().Writes, description: "POST, PUT, PATCH and DELETE requests sent to the apiserver.");
        m.CreateObservableGauge("expander_queue_depth", () => QueueDepth(), description: "ConfigMaps waiting to be reconciled.");
        m.CreateObservableGauge("expander_values_configmaps", () => ConfigMaps() is { } n ? [new Measurement<int>(n)] : Array.Empty<Measurement<int>>(),
            description: "Values ConfigMaps watched (reported once their watch has listed them).");
        m.CreateObservableGauge("expander_source_secret_watches", () => SourceSecretWatches(), description: "Source Secrets watched for rotation (one watch each, restricted to its name).");
        m.CreateObservableGauge("expander_cached_objects", () => CachedObjects(), description: "Generated objects held in the drift watcher's cache.");
        liveLists = set.Counter("expander_live_lists_total", "LISTs of one kind made by a reconcile because the cache was not synced for it.");
        relists = m.CreateCounter<long>("expander_watch_relists_total", description: "LISTs made again because a watch's resourceVersion expired (410 Gone), by watch.");
        m.CreateObservableGauge("expander_values_configmap_ready", ReadyMeasurements,
            description: "1 when a values ConfigMap's status annotation says ready, 0 when it says not ready or there is none yet (reported by the leader).");
        m.CreateObservableGauge("expander_leader", () => IsLeader() ? 1 : 0, description: "1 while this instance holds the leader Lease.");
        duration = m.CreateHistogram("expander_reconcile_duration_seconds", unit: "s", description: "Time of one reconcile.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>The meter, for instruments created elsewhere (the policy watch's).</summary>
    public Meter Meter => set.Meter;

    public Func<int> QueueDepth { get; set; } = () => 0;

    public Func<bool> IsLeader { get; set; } = () => false;

    public Func<(long Reads, long Writes)> ApiCalls { get; set; } = () => (0, 0);

    /// <summary>Null until the values ConfigMaps have been listed (and when this instance does not lead).</summary>
    public Func<int?> ConfigMaps { get; set; } = () => null;

    /// <summary>Each watched values ConfigMap and whether its status annotation says ready; empty when this instance does not lead.</summary>
    public Func<IEnumerable<(string Namespace, string Name, bool Ready)>> Readiness { get; set; } = () => [];

    public Func<int> SourceSecretWatches { get; set; } = () => 0;

    public Func<int> CachedObjects { get; set; } = () => 0;

    public void Reconciled(string result, double seconds)
    {
        reconciles.Add(1, new KeyValuePair<string, object?>("result", result));
        duration.Record(seconds);
    }

    public void Error() => errors.Add(1);

    public void Applied(int n) => applied.Add(n);

    public void Pruned(int n) => pruned.Add(n);

    public void Conflicts(int n) => conflicts.Add(n);

    /// <summary>A reconcile read one kind with a LIST (its cache had not synced).</summary>
    public void LiveListed() => liveLists.Add(1);

    /// <summary>A watch's resourceVersion expired (410 Gone): it listed again.</summary>
    public void WatchExpired(string watch) => relists.Add(1, new KeyValuePair<string, object?>("watch", watch));

    public string Render() => set.Render();

    public void Dispose() => set.Dispose();

    private IEnumerable<Measurement<int>> ReadyMeasurements() =>
        Readiness().Select(r => new Measurement<int>(r.Ready ? 1 : 0,
            new KeyValuePair<string, object?>("configmap_namespace", r.Namespace), new KeyValuePair<string, object?>("configmap", r.Name)));
}
