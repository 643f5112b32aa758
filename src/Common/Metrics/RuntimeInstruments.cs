using System.Diagnostics.Metrics;

namespace AiGatewayModels.Common.Metrics;

/// <summary>
/// Process and GC figures of both programs: resident memory is what a memory limit acts on, and the GC's own figures
/// tell a live heap from garbage the collector has not yet returned (the figures of the last collection).
/// </summary>
public static class RuntimeInstruments
{
    private static readonly string[] Generations = ["0", "1", "2", "loh", "poh"];

    public static void Register(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, description: "Resident memory size in bytes.");
        meter.CreateObservableGauge("process_memory_limit_bytes", MemoryLimit.Bytes,
            description: "The memory limit the process runs under: its cgroup's (a container's limit), else the memory the GC may use.");
        meter.CreateObservableGauge("dotnet_gc_heap_size_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes,
            description: "GC heap size after the last collection (live objects plus fragmentation).");
        meter.CreateObservableGauge("dotnet_gc_committed_bytes", () => GC.GetGCMemoryInfo().TotalCommittedBytes, description: "Memory the GC has committed from the OS.");
        meter.CreateObservableGauge("dotnet_gc_fragmented_bytes", () => GC.GetGCMemoryInfo().FragmentedBytes, description: "Free space inside the GC heap after the last collection.");
        meter.CreateObservableGauge("dotnet_gc_generation_size_bytes", GenerationSizes, description: "Size of each GC generation after the last collection.");
        meter.CreateObservableCounter("dotnet_gc_collections_total", Collections, description: "Garbage collections, by the highest generation collected.");
        meter.CreateObservableCounter("dotnet_gc_pause_seconds_total", () => GC.GetTotalPauseDuration().TotalSeconds, description: "Time the process was paused by garbage collections.");
        meter.CreateObservableCounter("dotnet_gc_allocated_bytes_total", () => GC.GetTotalAllocatedBytes(), description: "Bytes allocated on the managed heap.");
    }

    private static List<Measurement<long>> GenerationSizes()
    {
        var generations = GC.GetGCMemoryInfo().GenerationInfo;
        var sizes = new List<Measurement<long>>(Generations.Length);
        for (var i = 0; i < generations.Length && i < Generations.Length; i++)
        {
            sizes.Add(new Measurement<long>(generations[i].SizeAfterBytes, new KeyValuePair<string, object?>("generation", Generations[i])));
        }

        return sizes;
    }

    private static IEnumerable<Measurement<long>> Collections()
    {
        for (var g = 0; g <= GC.MaxGeneration; g++)
        {
            yield return new Measurement<long>(GC.CollectionCount(g), new KeyValuePair<string, object?>("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
