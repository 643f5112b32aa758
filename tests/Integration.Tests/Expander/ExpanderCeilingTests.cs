using System.Text;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The expander decides the policy's ceilings per namespace itself (no webhook is registered here, as when it was not in
/// the path or two creations passed its check at once): the older values ConfigMaps count first, one that does not fit
/// is reported not ready with the ceiling, its count and the policy key, and nothing of it is applied; when the older
/// one goes away, it fits and is applied.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderCeilingTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private Kubernetes Cluster => controlPlane.Client;

    [Fact]
    public async Task A_ConfigMap_past_the_namespace_ceiling_is_reported_and_applies_nothing_until_an_older_one_makes_room()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-ceilings");
        await Cluster.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = Common.Policy.PolicyWatch.DefaultName },
            Data = new Dictionary<string, string> { [PolicyReader.DataKey] = "ceilings: {modelsPerNamespace: 3}\n" },
        }, ns);
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "ceiling-key", Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("ceiling-test-key") },
        }, ns);
        await using var expander = RunningExpander.Start(controlPlane, ns);

        var first = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.OwnBackends("a", 2, "ceiling-key"), "first");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns, "first"))?["ready"]?.GetValue<bool>() == true, Timeout, "first ready");
        await Task.Delay(1100); // a creation timestamp of its own (whole seconds): "second" is the younger
        var second = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.OwnBackends("b", 2, "ceiling-key"), "second");

        string? message = null;
        await Eventually.UntilAsync(
            async () => (message = (await ValuesFixtures.StatusAsync(Cluster, ns, "second"))?["message"]?.GetValue<string>())?.Contains("ceilings.modelsPerNamespace", StringComparison.Ordinal) == true,
            Timeout,
            "second reports the namespace ceiling");
        Assert.False((await ValuesFixtures.StatusAsync(Cluster, ns, "second"))!["ready"]!.GetValue<bool>());
        Assert.Contains($"namespace {ns} would hold 4 models in its values ConfigMaps (2 here, 2 in the older ones), above the ceiling of 3 models per namespace (policy ceilings.modelsPerNamespace)", message, StringComparison.Ordinal);
        Assert.Contains("nothing is applied", message, StringComparison.Ordinal);
        Assert.NotEmpty(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Invalid, "second"));
        foreach (var o in await ValuesFixtures.ExpectedAsync(expander.Client, second))
        {
            Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default));
        }

        // the older one is still whole
        Assert.True((await ValuesFixtures.StatusAsync(Cluster, ns, "first"))!["ready"]!.GetValue<bool>());
        Assert.True(await ValuesFixtures.AllMatchAsync(expander.Client, await ValuesFixtures.ExpectedAsync(expander.Client, first), ns));

        // the older one goes away: the younger fits and is applied, without a change of its own
        await Cluster.CoreV1.DeleteNamespacedConfigMapAsync("first", ns);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns, "second"))?["ready"]?.GetValue<bool>() == true, Timeout, "second ready once first is gone");
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, second);
        Assert.Contains(expected, o => o.Kind == ResourceKind.AIGatewayRoute);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "second's objects");
    }
}
