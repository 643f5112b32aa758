using System.Globalization;
using AiGatewayModels.Common.Metrics;
using AiGatewayModels.Webhook.Observability;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>The process and GC gauges that /metrics adds: present, well-formed, and alive.</summary>
public sealed class RuntimeMetricsTests
{
    [Fact]
    public void Memory_and_gc_figures_are_written_as_prometheus_samples()
    {
        GC.Collect(); // so that the "after the last collection" figures describe a collection of this process
        using var metrics = new MetricSet("test");
        var samples = Samples(metrics.Render());

        Assert.True(samples["process_resident_memory_bytes"] > 1024 * 1024);
        Assert.True(samples["dotnet_gc_heap_size_bytes"] > 0);
        Assert.True(samples["dotnet_gc_committed_bytes"] >= samples["dotnet_gc_heap_size_bytes"] / 2);
        Assert.True(samples["dotnet_gc_collections_total{generation=\"2\"}"] >= 1);
        Assert.Contains("dotnet_gc_pause_seconds_total", samples.Keys);
        foreach (var generation in (string[])["0", "1", "2", "loh", "poh"])
        {
            Assert.Contains($"dotnet_gc_generation_size_bytes{{generation=\"{generation}\"}}", samples.Keys);
        }
    }

    [Fact]
    public void Allocated_bytes_grow_with_allocation()
    {
        using var metrics = new MetricSet("test");
        var before = Samples(metrics.Render())["dotnet_gc_allocated_bytes_total"];
        GC.KeepAlive(new byte[1024 * 1024]);
        Assert.True(Samples(metrics.Render())["dotnet_gc_allocated_bytes_total"] >= before + (1024 * 1024));
    }

    [Fact]
    public void Every_sample_has_help_and_type()
    {
        using var metrics = new WebhookMetrics();
        var text = metrics.Render();
        foreach (var name in Samples(text).Keys.Select(k => k.Split('{')[0]).Distinct())
        {
            Assert.Contains($"# HELP {name} ", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, long> Samples(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => (long)double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
