using System.Globalization;
using System.Text;

namespace AiGatewayModels.Webhook.Observability;

/// <summary>
/// Process and GC gauges in the Prometheus text format: resident memory is what a memory limit acts on, and the GC's
/// own figures tell a live heap from garbage the collector has not yet returned (the figures of the last collection).
/// </summary>
internal static class RuntimeMetrics
{
    private static readonly string[] Generations = ["0", "1", "2", "loh", "poh"];

    public static void Write(StringBuilder sb)
    {
        Gauge(sb, "process_resident_memory_bytes", "Resident memory size in bytes.", Environment.WorkingSet);
        var info = GC.GetGCMemoryInfo();
        Gauge(sb, "dotnet_gc_heap_size_bytes", "GC heap size after the last collection (live objects plus fragmentation).", info.HeapSizeBytes);
        Gauge(sb, "dotnet_gc_committed_bytes", "Memory the GC has committed from the OS.", info.TotalCommittedBytes);
        Gauge(sb, "dotnet_gc_fragmented_bytes", "Free space inside the GC heap after the last collection.", info.FragmentedBytes);
        sb.Append("# HELP dotnet_gc_generation_size_bytes Size of each GC generation after the last collection.\n");
        sb.Append("# TYPE dotnet_gc_generation_size_bytes gauge\n");
        var generations = info.GenerationInfo;
        for (var i = 0; i < generations.Length && i < Generations.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_generation_size_bytes{{generation=\"{Generations[i]}\"}} {generations[i].SizeAfterBytes}\n");
        }

        sb.Append("# HELP dotnet_gc_collections_total Garbage collections, by the highest generation collected.\n");
        sb.Append("# TYPE dotnet_gc_collections_total counter\n");
        for (var g = 0; g <= GC.MaxGeneration; g++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{g}\"}} {GC.CollectionCount(g)}\n");
        }

        sb.Append("# HELP dotnet_gc_pause_seconds_total Time the process was paused by garbage collections.\n# TYPE dotnet_gc_pause_seconds_total counter\n");
        sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_pause_seconds_total {GC.GetTotalPauseDuration().TotalSeconds:F6}\n");
        sb.Append("# HELP dotnet_gc_allocated_bytes_total Bytes allocated on the managed heap.\n# TYPE dotnet_gc_allocated_bytes_total counter\n");
        sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_allocated_bytes_total {GC.GetTotalAllocatedBytes()}\n");
    }

    private static void Gauge(StringBuilder sb, string name, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
