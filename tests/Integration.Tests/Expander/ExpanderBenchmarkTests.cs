using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The figures of docs/benchmarks.md "Expander" (1, 10, 100 models): time from ConfigMap create to every object applied,
/// writes of that reconcile, and writes of the no-op resyncs after it. Asserts correctness only (everything applied,
/// no-op resyncs write nothing); the times are printed, never asserted.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderBenchmarkTests(ControlPlaneFixture controlPlane, ITestOutputHelper output)
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

        await NamedSecrets.CreateAsync(controlPlane.Client, ns, Generate(models), "bench-key");
        var watch = Stopwatch.StartNew();
        var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, Generate(models));
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

    /// <summary>N models over a pool of three API-key backends (no projected Secrets), two slots each, rate limits on.</summary>
    public static string Generate(int models)
    {
        var sb = new StringBuilder("""
            gatewayRef:
              name: ai-gateway
            rateLimitPolicy:
              enabled: true
            backends:
              openai:
                resourceName: openai
                schema: OpenAI
                fqdn:
                  hostname: api.openai.com
                  port: 443
                apiKeySecretRef:
                  name: openai-credentials
                  key: apiKey
              anthropic:
                resourceName: anthropic
                schema: Anthropic
                fqdn:
                  hostname: api.anthropic.com
                  port: 443
                apiKeySecretRef:
                  name: anthropic-credentials
                  key: apiKey
              cohere:
                resourceName: cohere
                schema: Cohere
                fqdn:
                  hostname: api.cohere.com
                  port: 443
                apiKeySecretRef:
                  name: cohere-credentials
                  key: apiKey
            models:

            """);
        string[] pool = ["openai", "anthropic", "cohere"];
        for (var i = 0; i < models; i++)
        {
            var (first, second) = (pool[i % 3], pool[(i + 1) % 3]);
            sb.Append(CultureInfo.InvariantCulture, $"""
                  model-{i:D4}:
                    backends:
                      {first}:
                        ref: {first}
                        weight: 70
                      {second}:
                        ref: {second}
                        weight: 30

                """);
        }

        return sb.ToString();
    }
}
