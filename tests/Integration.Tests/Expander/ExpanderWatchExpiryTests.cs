using System.Globalization;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using k8s;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The values ConfigMap watch resumes from a resourceVersion that no longer exists: the apiserver answers 410 Gone, the
/// watcher lists again, and a change made while it was disconnected is reconciled. On a control plane of its own (etcd is
/// compacted and the kube-apiserver restarted).
/// </summary>
[Collection(OwnControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderWatchExpiryTests(ControlPlaneFixture controlPlane, ITestOutputHelper output) : IClassFixture<ControlPlaneFixture>
{
    private const string RelistsMetric = "expander_watch_relists_total{watch=\"values ConfigMaps\"}";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_watch_resumed_from_a_compacted_resourceVersion_relists_and_reconciles_what_changed_meanwhile()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-gone");
        await ValuesFixtures.CreateSourceSecretAsync(controlPlane.Client, ns, "gone-test-key");

        // the controller reaches the apiserver through a proxy that the test can cut, so that the controller is
        // disconnected while the test (straight to the apiserver) changes things
        using var proxy = new CuttableTcpProxy(controlPlane.ApiServerUrl!.Port);
        var kubeconfig = Path.Combine(controlPlane.WorkDir, "kubeconfig-via-proxy");
        await File.WriteAllTextAsync(kubeconfig, (await File.ReadAllTextAsync(controlPlane.KubeconfigPath))
            .Edit(controlPlane.ApiServerUrl.AbsoluteUri.TrimEnd('/'), $"https://127.0.0.1:{proxy.Port}"));
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { LeaderElect = false }, kubeconfig);

        var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "the first values are applied");
        await WaitForStatusAsync(ns, cm.Data[WellKnown.ValuesDataKey]);
        Assert.Equal(0, Relists(await expander.MetricsAsync()));

        // 1. disconnect the controller; while it is away: edit the values, advance the revision with unrelated writes,
        //    compact etcd at the current revision, and restart the apiserver (its watch cache starts over at the current
        //    revision too): whatever resourceVersion the watcher last saw is gone
        proxy.Cut();
        var edited = ValuesFixtures.Values(gpt4oWeight: 70, includeMini: false);
        await ValuesFixtures.UpdateValuesAsync(controlPlane.Client, ns, edited);
        for (var i = 0; i < 5; i++)
        {
            await controlPlane.Client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unrelated-" + i.ToString(CultureInfo.InvariantCulture) }, Data = new Dictionary<string, string> { ["n"] = "1" } }, ns);
        }

        var compactedAt = await controlPlane.CompactEtcdAsync();
        var restart = await controlPlane.RestartApiServerAsync();
        var configMapsAfter = await controlPlane.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.True(long.Parse(configMapsAfter.Metadata.ResourceVersion, CultureInfo.InvariantCulture) >= compactedAt);
        proxy.Resume();

        // 2. the watcher's resume is answered 410 Gone: it lists again (its own counter says so), and the edit is reconciled
        await Eventually.UntilAsync(async () => Relists(await expander.MetricsAsync()) >= 1, Timeout, "the values ConfigMap watch relists after 410 Gone");
        cm.Data[WellKnown.ValuesDataKey] = edited;
        var after = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        var removed = expected.Where(o => !after.Any(a => a.Kind == o.Kind && a.Name == o.Name)).ToList();
        Assert.NotEmpty(removed);
        await WaitForStatusAsync(ns, edited);
        await Eventually.UntilAsync(async () =>
        {
            if (!await ValuesFixtures.AllMatchAsync(expander.Client, after, ns))
            {
                return false;
            }

            foreach (var gone in removed)
            {
                if (await expander.Client.GetAsync(ValuesFixtures.RefOf(gone, ns), default) is not null)
                {
                    return false;
                }
            }

            return true;
        }, Timeout, "the edit made while disconnected is applied and the removed model pruned");

        var log = expander.Log;
        var relists = Relists(await expander.MetricsAsync());
        Assert.Contains("watch values ConfigMaps: 410", log, StringComparison.Ordinal);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"etcd compacted at {compactedAt}; apiserver ready again after {restart.TotalSeconds:F1} s; relists: {relists}\n") +
            string.Join('\n', log.Split('\n').Where(l => l.Contains("watch values ConfigMaps", StringComparison.Ordinal)).TakeLast(10)));
    }

    private static long Relists(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith(RelistsMetric + " ", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(RelistsMetric.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

    private async Task WaitForStatusAsync(string ns, string values)
    {
        var hash = ValuesEvaluator.Evaluate(new Engine.Input.ValuesDocument(ns, ValuesFixtures.Name, values)).ValuesHash;
        await Eventually.UntilAsync(async () =>
        {
            var status = await ValuesFixtures.StatusAsync(controlPlane.Client, ns);
            return status?["ready"]?.GetValue<bool>() == true && status["observedValuesHash"]?.GetValue<string>() == hash;
        }, Timeout, "status ready for the current values");
    }
}
