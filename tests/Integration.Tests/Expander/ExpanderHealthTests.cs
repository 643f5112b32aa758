using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Kube;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The expander's /healthz reflects liveness: it fails while the watches make no progress (their streams frozen, as
/// a connection that died without a reset) and while a worker is stuck in one reconcile, names the check that failed,
/// and recovers with them. Short bounds here (watches of 3 s, 2 s grace, 4 s per reconcile) stand for the defaults
/// (240 s, 60 s, 10 min).
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderHealthTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Healthz_fails_while_the_watches_are_frozen_or_a_reconcile_hangs_and_recovers_after()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-health");
        await ValuesFixtures.CreateSourceSecretAsync(controlPlane.Client, ns, "health-test-key");
        IReadOnlyList<string> served;
        using (var probe = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "ai-gateway-models-tests"))
        using (var discovery = new ApiDiscovery(probe))
        {
            served = await discovery.ServedAsync(default);
        }

        var gate = new GatedDiscovery(served);
        var freeze = new WatchFreeze();
        await using var expander = RunningExpander.Start(controlPlane, ns,
            o => o with { LeaderElect = false, StallAfter = TimeSpan.FromSeconds(2), ReconcileStallAfter = TimeSpan.FromSeconds(4), Discovery = gate },
            handlers: [freeze], watchTimeout: TimeSpan.FromSeconds(3));
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_values_configmaps 0", StringComparison.Ordinal), Timeout, "the controller is watching");
        var (status, verbose) = await expander.HealthCheckAsync(verbose: true);
        Assert.Equal(200, status);
        Assert.Contains("[+]watches ok", verbose, StringComparison.Ordinal);
        Assert.Contains("[+]workers ok", verbose, StringComparison.Ordinal);
        Assert.Equal((200, "ok\n"), await expander.HealthCheckAsync());

        // 1. every watch stream stops delivering: once a watch's duration plus the grace has passed, /healthz fails
        freeze.Frozen = true;
        var body = await UnhealthyAsync(expander, "watch values ConfigMaps made no progress for", "the frozen values ConfigMaps watch fails /healthz");
        Assert.Contains("[-]watches failed: ", body, StringComparison.Ordinal);
        freeze.Frozen = false;
        await Eventually.UntilAsync(async () => (await expander.HealthCheckAsync()).Status == 200, Timeout, "/healthz is ok again once the watches deliver");

        // 2. a reconcile hangs (discovery does not answer): the worker is reported stuck with its ConfigMap
        gate.Hold();
        var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Values());
        body = await UnhealthyAsync(expander, $"[-]workers failed: a worker is stuck reconciling {ns}/{ValuesFixtures.Name} for", "the stuck worker fails /healthz");
        Assert.DoesNotContain("[-]watches", body, StringComparison.Ordinal);
        gate.Release();
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "the released reconcile applies everything");
        await Eventually.UntilAsync(async () => (await expander.HealthCheckAsync()).Status == 200, Timeout, "/healthz is ok again once the worker is done");
    }

    /// <summary>Waits for /healthz to fail with <paramref name="problem"/> in its answer; returns the answer.</summary>
    private static async Task<string> UnhealthyAsync(RunningExpander expander, string problem, string what)
    {
        var body = string.Empty;
        await Eventually.UntilAsync(async () =>
        {
            (var status, body) = await expander.HealthCheckAsync();
            return status == 500 && body.Contains(problem, StringComparison.Ordinal);
        }, Timeout, what);
        Assert.EndsWith("healthz check failed\n", body, StringComparison.Ordinal);
        return body;
    }

    /// <summary>Discovery with a fixed answer that a test can hold back, so that a reconcile waits in it.</summary>
    private sealed class GatedDiscovery(IReadOnlyList<string> served) : IDiscovery
    {
        private volatile TaskCompletionSource open = Opened();

        public void Hold() => open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => open.TrySetResult();

        public async Task<IReadOnlyList<string>> ServedAsync(CancellationToken ct)
        {
            await open.Task.WaitAsync(ct);
            return served;
        }

        private static TaskCompletionSource Opened()
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tcs.SetResult();
            return tcs;
        }
    }
}
