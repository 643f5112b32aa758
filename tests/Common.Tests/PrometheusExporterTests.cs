using System.Diagnostics.Metrics;
using AiGatewayModels.Common.Metrics;
using Xunit;

namespace AiGatewayModels.Common.Tests;

/// <summary>The one Prometheus writer: what each kind of instrument becomes in the text format.</summary>
public sealed class PrometheusExporterTests
{
    [Fact]
    public void Counters_sum_by_label_set_and_an_unlabelled_one_is_seen_at_zero_from_the_start()
    {
        using var set = new MetricSet("test");
        var plain = set.Counter("things_total", "Things.");
        var byResult = set.Meter.CreateCounter<long>("results_total", description: "Results, by result.");
        var before = Samples.Parse(set.Render());
        Assert.Equal(0, before["things_total"]);
        Assert.DoesNotContain(before.Keys, k => k.StartsWith("results_total", StringComparison.Ordinal)); // no label set known yet

        plain.Add(2);
        plain.Add(3);
        byResult.Add(1, new KeyValuePair<string, object?>("result", "done"));
        byResult.Add(4, new KeyValuePair<string, object?>("result", "retry"));
        byResult.Add(1, new KeyValuePair<string, object?>("result", "done"));
        var text = set.Render();
        var after = Samples.Parse(text);
        Assert.Equal(5, after["things_total"]);
        Assert.Equal(2, after["results_total{result=\"done\"}"]);
        Assert.Equal(4, after["results_total{result=\"retry\"}"]);
        Assert.Contains("# HELP results_total Results, by result.\n# TYPE results_total counter\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_of_its_advice_a_sum_and_a_count()
    {
        using var set = new MetricSet("test");
        var h = set.Meter.CreateHistogram("latency_seconds", unit: "s", description: "Latency.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        foreach (var v in (double[])[0.05, 0.1, 0.5, 2])
        {
            h.Record(v, new KeyValuePair<string, object?>("endpoint", "validate"));
        }

        var text = set.Render();
        var s = Samples.Parse(text);
        Assert.Equal(2, s["latency_seconds_bucket{endpoint=\"validate\",le=\"0.1\"}"]); // le is inclusive
        Assert.Equal(3, s["latency_seconds_bucket{endpoint=\"validate\",le=\"1\"}"]);
        Assert.Equal(4, s["latency_seconds_bucket{endpoint=\"validate\",le=\"+Inf\"}"]);
        Assert.Equal(4, s["latency_seconds_count{endpoint=\"validate\"}"]);
        Assert.Equal(2.65, s["latency_seconds_sum{endpoint=\"validate\"}"], 9);
        Assert.Contains("# TYPE latency_seconds histogram\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_instruments_report_what_their_callbacks_say_at_each_render()
    {
        using var set = new MetricSet("test");
        int? depth = 3;
        set.Meter.CreateObservableGauge("queue_depth", () => depth is { } d ? [new Measurement<int>(d)] : Array.Empty<Measurement<int>>(), description: "Depth.");
        long reads = 7;
        set.Meter.CreateObservableCounter("reads_total", () => reads, description: "Reads.");
        Assert.Equal(3, Samples.Parse(set.Render())["queue_depth"]);
        (depth, reads) = (null, 9);
        var s = Samples.Parse(set.Render());
        Assert.DoesNotContain("queue_depth", s.Keys); // the callback reported nothing: the series is gone, not stale
        Assert.Equal(9, s["reads_total"]);
        Assert.Contains("# TYPE reads_total counter\n", set.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_are_escaped_and_two_sets_never_share_counts()
    {
        using var a = new MetricSet("one");
        using var b = new MetricSet("two");
        a.Meter.CreateCounter<long>("watch_relists_total").Add(1, new KeyValuePair<string, object?>("watch", "a \"quoted\" \\ name\nnext"));
        b.Meter.CreateCounter<long>("watch_relists_total").Add(5);
        Assert.Contains("watch_relists_total{watch=\"a \\\"quoted\\\" \\\\ name\\nnext\"} 1\n", a.Render(), StringComparison.Ordinal);
        Assert.Equal(5, Samples.Parse(b.Render())["watch_relists_total"]);
        Assert.DoesNotContain("quoted", b.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_process_and_GC_figures_come_last_with_help_and_type()
    {
        using var set = new MetricSet("test");
        set.Meter.CreateCounter<long>("first_total", description: "First.");
        GC.Collect();
        var text = set.Render();
        var s = Samples.Parse(text);
        Assert.True(s["process_resident_memory_bytes"] > 1024 * 1024);
        Assert.True(s["dotnet_gc_collections_total{generation=\"2\"}"] >= 1);
        Assert.True(text.IndexOf("first_total", StringComparison.Ordinal) < text.IndexOf("process_resident_memory_bytes", StringComparison.Ordinal));
        foreach (var name in s.Keys.Select(k => k.Split('{')[0]).Distinct())
        {
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }
    }
}
