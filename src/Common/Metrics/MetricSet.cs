using System.Diagnostics.Metrics;

namespace AiGatewayModels.Common.Metrics;

/// <summary>
/// One program instance's instruments and their exporter: a <see cref="Meter"/> of its own (two controllers in one
/// test process never mix their counts), the process and GC figures, and <see cref="Render"/> for <c>/metrics</c>.
/// </summary>
public sealed class MetricSet : IDisposable
{
    private readonly PrometheusExporter exporter;
    private int runtimeRegistered;

    public MetricSet(string name)
    {
        Meter = new Meter(name);
        exporter = new PrometheusExporter(Meter);
    }

    public Meter Meter { get; }

    /// <summary>An unlabelled counter, written as 0 from the start (an absent series breaks rate() and alerts).</summary>
    public Counter<long> Counter(string name, string description)
    {
        var counter = Meter.CreateCounter<long>(name, description: description);
        counter.Add(0);
        return counter;
    }

    /// <summary>The Prometheus text of every instrument.</summary>
    public string Render()
    {
        if (Interlocked.Exchange(ref runtimeRegistered, 1) == 0)
        {
            RuntimeInstruments.Register(Meter); // after the program's own instruments, which are created at startup
        }

        return exporter.Render();
    }

    public void Dispose()
    {
        exporter.Dispose();
        Meter.Dispose();
    }
}
