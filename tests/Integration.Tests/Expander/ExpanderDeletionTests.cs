using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// A values ConfigMap that is being deleted (its deletionTimestamp set, held by a finalizer, as in foreground or orphan
/// deletion) is gone for the expander: it stops applying, so it never recreates what the garbage collector deletes,
/// and the owner is not held up by dependents that keep coming back.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderDeletionTests(ControlPlaneFixture controlPlane)
{
    private const string Hold = "integration.test/hold";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Kubernetes Cluster => controlPlane.Client;

    [Fact]
    public async Task A_ConfigMap_being_deleted_is_no_longer_applied()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-deleting");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, "deleting-test-key");
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = ValuesFixtures.ConfigMap(ns, ValuesFixtures.Name, ValuesFixtures.Values());
        cm.Metadata.Finalizers = [Hold];
        cm = await Cluster.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "applied");

        // deleted, but held by the finalizer: the expander lets go of it
        await Cluster.CoreV1.DeleteNamespacedConfigMapAsync(ValuesFixtures.Name, ns);
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_values_configmaps 0\n", StringComparison.Ordinal), Timeout,
            "the expander no longer counts the ConfigMap being deleted");

        // what the garbage collector would delete stays deleted, while the owner still exists
        var route = expected.First(o => o.Kind == ResourceKind.AIGatewayRoute);
        var path = ValuesFixtures.RefOf(route, ns);
        await Cluster.CustomObjects.DeleteNamespacedCustomObjectAsync(path.Resource.Group, path.Resource.Version, ns, route.Kind.Plural, route.Name);
        await Eventually.UntilAsync(async () => await expander.Client.GetAsync(path, default) is null, Timeout, "the route is deleted");
        await Task.Delay(TimeSpan.FromSeconds(5)); // several reconcile retries' worth (MaxRetry 2 s); a recreation takes well under one
        Assert.Null(await expander.Client.GetAsync(path, default));
        Assert.Contains(Hold, (await Cluster.CoreV1.ReadNamespacedConfigMapAsync(ValuesFixtures.Name, ns)).Metadata.Finalizers);

        // let it go: the garbage collector takes the rest
        await Cluster.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), ValuesFixtures.Name, ns);
        await Eventually.UntilAsync(async () =>
        {
            foreach (var o in expected)
            {
                if (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default) is not null)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(90), "the garbage collector deletes the rest once the ConfigMap is gone");
    }
}
