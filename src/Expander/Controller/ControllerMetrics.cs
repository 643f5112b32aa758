using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace AiGatewayModels.Expander.Controller;

/// <summary>Prometheus metrics of the controller (text format 0.0.4), hand-rolled like the webhook's: no dependency, no reflection.</summary>
internal sealed class ControllerMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly long[] durationCounts = new long[Buckets.Length + 1];
    private readonly ConcurrentDictionary<string, long> reconciles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> relists = new(StringComparer.Ordinal);
    private long durationMicros;
    private long errors;
    private long applied;
    private long pruned;
    private long conflicts;
    private long eventsTotal;

    public Func<int> QueueDepth { get; set; } = () => 0;

    public Func<bool> IsLeader { get; set; } = () => false;

    public Func<(long Reads, long Writes)> ApiCalls { get; set; } = () => (0, 0);

    public Func<int> ConfigMaps { get; set; } = () => 0;

    public Func<int> SourceSecretWatches { get; set; } = () => 0;

    public Func<int> CachedObjects { get; set; } = () => 0;

    public void Reconciled(string result, double seconds)
    {
        reconciles.AddOrUpdate(result, 1, (_, v) => v + 1);
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i])
        {
            i++;
        }

        Interlocked.Increment(ref durationCounts[i]);
        Interlocked.Add(ref durationMicros, (long)(seconds * 1_000_000));
    }

    public void Error() => Interlocked.Increment(ref errors);

    public void Applied(int n) => Interlocked.Add(ref applied, n);

    public void Pruned(int n) => Interlocked.Add(ref pruned, n);

    public void Conflicts(int n) => Interlocked.Add(ref conflicts, n);

    public void Event() => Interlocked.Increment(ref eventsTotal);

    /// <summary>A watch's resourceVersion expired (410 Gone): it listed again.</summary>
    public void WatchExpired(string watch) => relists.AddOrUpdate(watch, 1, (_, v) => v + 1);

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP expander_reconciles_total Reconciles of values ConfigMaps, by result.\n# TYPE expander_reconciles_total counter\n");
        foreach (var (result, value) in reconciles.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"expander_reconciles_total{{result=\"{result}\"}} {value}\n");
        }

        Counter(sb, "expander_reconcile_errors_total", "Reconciles that failed and were retried with backoff.", Interlocked.Read(ref errors));
        Counter(sb, "expander_objects_applied_total", "Objects written by server-side apply.", Interlocked.Read(ref applied));
        Counter(sb, "expander_objects_pruned_total", "Objects deleted because they are no longer desired.", Interlocked.Read(ref pruned));
        Counter(sb, "expander_conflicts_total", "Desired objects left untouched because another owner has them.", Interlocked.Read(ref conflicts));
        var (reads, writes) = ApiCalls();
        Counter(sb, "expander_api_reads_total", "GET requests sent to the apiserver (watches included).", reads);
        Counter(sb, "expander_api_writes_total", "POST, PUT, PATCH and DELETE requests sent to the apiserver.", writes);
        Gauge(sb, "expander_queue_depth", "ConfigMaps waiting to be reconciled.", QueueDepth());
        Gauge(sb, "expander_values_configmaps", "Values ConfigMaps watched.", ConfigMaps());
        Gauge(sb, "expander_source_secret_watches", "Source Secrets watched for rotation (one watch each, restricted to its name).", SourceSecretWatches());
        Gauge(sb, "expander_cached_objects", "Generated objects held in the drift watcher's cache.", CachedObjects());
        Counter(sb, "expander_live_lists_total", "LISTs of one kind made by a reconcile because the cache was not synced for it.", LiveObjects.Listed);
        sb.Append("# HELP expander_watch_relists_total LISTs made again because a watch's resourceVersion expired (410 Gone), by watch.\n# TYPE expander_watch_relists_total counter\n");
        foreach (var (watch, value) in relists.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"expander_watch_relists_total{{watch=\"{watch}\"}} {value}\n");
        }

        Gauge(sb, "expander_leader", "1 while this instance holds the leader Lease.", IsLeader() ? 1 : 0);
        sb.Append("# HELP expander_reconcile_duration_seconds Time of one reconcile.\n# TYPE expander_reconcile_duration_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref durationCounts[i]);
            sb.Append(CultureInfo.InvariantCulture, $"expander_reconcile_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }

        cumulative += Interlocked.Read(ref durationCounts[Buckets.Length]);
        sb.Append(CultureInfo.InvariantCulture, $"expander_reconcile_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        sb.Append(CultureInfo.InvariantCulture, $"expander_reconcile_duration_seconds_sum {Interlocked.Read(ref durationMicros) / 1_000_000.0}\n");
        sb.Append(CultureInfo.InvariantCulture, $"expander_reconcile_duration_seconds_count {cumulative}\n");
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder sb, string name, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
