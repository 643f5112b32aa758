using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Benchmarks;

/// <summary>
/// The figures of docs/benchmarks.md "Expander" (1, 10, 100 models): time from ConfigMap create to every object applied,
/// writes of that reconcile, and writes of the no-op resyncs after it. Asserts correctness only (everything applied,
/// no-op resyncs write nothing); the times are printed, never asserted. A benchmark: not in the default test run
/// (Integration.Tests.csproj filters the category out), run by bench/expander.sh.
/// </summary>
[Trait("Category", "Benchmark")]
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ReconcileBenchmarks(ControlPlaneFixture controlPlane, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task Time_to_apply_and_writes_per_reconcile(int models)
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-bench");
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { LeaderElect = false, ResyncPeriod = TimeSpan.FromMilliseconds(500) });
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_values_configmaps 0", StringComparison.Ordinal), Timeout, "the controller is watching");
        var writesBefore = expander.Writes;

        await NamedSecrets.CreateAsync(controlPlane.Client, ns, ValuesFixtures.Generate(models), "bench-key");
        var watch = Stopwatch.StartNew();
        var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Generate(models));
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(controlPlane.Client, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");
        var elapsed = watch.Elapsed;
        Assert.True(await ValuesFixtures.AllMatchAsync(expander.Client, expected, ns));
        var writes = expander.Writes - writesBefore;

        var done = ReconcilesDone(await expander.MetricsAsync());
        var noopStart = expander.Writes;
        await Eventually.UntilAsync(async () => ReconcilesDone(await expander.MetricsAsync()) >= done + 3, Timeout, "three no-op resyncs");
        var noopWrites = expander.Writes - noopStart;
        Assert.Equal(0, noopWrites);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"models={models} objects={expected.Count} create→ready={elapsed.TotalMilliseconds:F0} ms writes={writes} (objects + Applied Event + status annotation) no-op resync writes={noopWrites} over 3 resyncs"));
    }

    private static long ReconcilesDone(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("expander_reconciles_total{result=\"done\"}", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).SingleOrDefault();
}
