using System.Globalization;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Kube;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// A collection of its own with a control plane of its own (never the shared "control-plane" one, whose other tests
/// would see the outage), run alone (no parallel collections), so that restarting its kube-apiserver disturbs nobody.
/// The class fixture stops every process of that control plane by PID when the class is done.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnControlPlaneCollectionDefinition
{
    public const string Name = "own-control-plane";
}

/// <summary>
/// The kube-apiserver is killed and started again (same etcd, ports and certificates) while a reconcile of many
/// objects is writing: the controller converges with every desired object present exactly once, matching the engine,
/// nothing stale, and the status ready.
/// </summary>
[Collection(OwnControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderApiServerRestartTests(ControlPlaneFixture controlPlane, ITestOutputHelper output) : IClassFixture<ControlPlaneFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task The_apiserver_restarted_mid_reconcile_converges_with_nothing_lost_or_duplicated()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-restart");
        var gate = new WriteGate();
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { LeaderElect = false, ApplyParallelism = 2 }, handlers: [gate]);
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_values_configmaps 0", StringComparison.Ordinal), Timeout, "the controller is watching");
        await NamedSecrets.CreateAsync(controlPlane.Client, ns, ValuesFixtures.Generate(50), "restart-key");

        // 1. create 50 models; restart while their objects are being applied
        var cm = await RestartDuringReconcileAsync(expander, gate, () => ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Generate(50)));
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        Assert.True(expected.Count > 100, $"{expected.Count} objects");
        await AssertConvergedAsync(expander, ns, cm, expected);

        // 2. edit down to 30 models; restart while the reconcile updates and prunes
        var edited = ValuesFixtures.Generate(30).Edit("weight: 70", "weight: 60").Edit("weight: 30", "weight: 40");
        await RestartDuringReconcileAsync(expander, gate, async () =>
        {
            await ValuesFixtures.UpdateValuesAsync(controlPlane.Client, ns, edited);
            return cm;
        });
        cm.Data[WellKnown.ValuesDataKey] = edited;
        var after = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        Assert.True(after.Count < expected.Count);
        await AssertConvergedAsync(expander, ns, cm, after);
    }

    /// <summary>
    /// Starts the change and lets the controller's first three writes of it through; the fourth is held (a
    /// <see cref="WriteGate"/> in the controller's client) while the apiserver is killed, released while none listens,
    /// and the apiserver starts again once the reconcile in flight has failed: the restart lands inside the reconcile
    /// every time, on any machine, without polling for the right moment.
    /// </summary>
    private async Task<V1ConfigMap> RestartDuringReconcileAsync(RunningExpander expander, WriteGate gate, Func<Task<V1ConfigMap>> change)
    {
        var writesBefore = expander.Writes;
        gate.Arm(3);
        var cm = await change();
        await gate.Holding.WaitAsync(Timeout);
        var writesAtKill = expander.Writes - writesBefore;
        var failuresBefore = InterruptedReconciles(expander);
        var ready = await controlPlane.RestartApiServerAsync(whileDown: async () =>
        {
            gate.Release();
            // the reconcile in flight is hit: its held and later requests find no apiserver (connection refused)
            await Eventually.UntilAsync(() => Task.FromResult(InterruptedReconciles(expander) > failuresBefore), Timeout, "the reconcile in flight fails");
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"apiserver killed after {writesAtKill} writes of the reconcile; ready again after {ready.TotalSeconds:F1} s"));
        return cm;
    }

    private static int InterruptedReconciles(RunningExpander expander) =>
        expander.Log.Split('\n').Count(l => l.Contains(" failed (", StringComparison.Ordinal) && l.Contains("warn reconcile ", StringComparison.Ordinal));

    private async Task AssertConvergedAsync(RunningExpander expander, string ns, V1ConfigMap cm, IReadOnlyList<RenderedObject> expected)
    {
        var hash = ValuesEvaluator.Evaluate(new Engine.Input.ValuesDocument(ns, cm.Metadata.Name, cm.Data[WellKnown.ValuesDataKey])).ValuesHash;
        await Eventually.UntilAsync(async () =>
        {
            var status = await ValuesFixtures.StatusAsync(controlPlane.Client, ns);
            return status?["ready"]?.GetValue<bool>() == true && status["observedValuesHash"]?.GetValue<string>() == hash;
        }, Timeout, "status ready for the current values");
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "every object exists and matches the engine's output");

        // exactly the desired objects, each once and owned once by this ConfigMap; nothing stale of any kind we emit. Waited
        // for, not read once: a prune decided from the drift cache before a late watch event arrived is made by the
        // reconcile that event queues, a moment after the status first says ready
        using var discovery = new ApiDiscovery(expander.Client);
        var selection = ApiVersionSelection.From(await discovery.ServedAsync(default), unmentionedAreServed: false);
        var expectedKeys = expected.Select(o => o.Kind.Kind + "/" + o.Name).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var live = new List<(ResourceKind Kind, JsonObject Item)>();
        List<string> liveKeys = [];
        async Task<bool> ExactlyTheDesiredAsync()
        {
            live.Clear();
            foreach (var kind in ResourceKind.All)
            {
                if (selection.For(kind) is not { } apiVersion)
                {
                    continue;
                }

                var list = await expander.Client.ListAsync(ApiResource.Of(apiVersion, kind.Plural), ns, WellKnown.ManagedByLabel + "=" + WellKnown.ManagedByValue, null, default);
                live.AddRange(((JsonArray)list["items"]!).OfType<JsonObject>().Select(i => (kind, i)));
            }

            liveKeys = [.. live.Select(l => l.Kind.Kind + "/" + l.Item.Name()).OrderBy(k => k, StringComparer.Ordinal)];
            return liveKeys.SequenceEqual(expectedKeys, StringComparer.Ordinal);
        }

        await Eventually.UntilAsync(ExactlyTheDesiredAsync, Timeout, "exactly the desired objects, nothing stale");
        Assert.Equal(expectedKeys, liveKeys);
        foreach (var (kind, item) in live)
        {
            var owners = ((JsonArray?)item.Obj("metadata")?["ownerReferences"] ?? []).OfType<JsonObject>().ToList();
            Assert.True(owners.Count == 1 && owners[0].Str("uid") == cm.Metadata.Uid && owners[0]["controller"]?.GetValue<bool>() == true,
                $"{kind.Kind} {item.Name()}: {owners.Count} owner references");
        }

        var status = (await ValuesFixtures.StatusAsync(controlPlane.Client, ns))!;
        Assert.Equal(expected.Count, status["objects"]!["desired"]!.GetValue<int>());
        Assert.Equal(expected.Count, status["objects"]!["inSync"]!.GetValue<int>());
        output.WriteLine($"converged: {expected.Count} objects; controller log tail:\n" + string.Join('\n', expander.Log.Split('\n').Where(l => l.Contains("WARN", StringComparison.OrdinalIgnoreCase) || l.Contains("reconciled", StringComparison.Ordinal)).TakeLast(15)));
    }
}
