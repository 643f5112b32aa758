using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// <c>--namespaces a,b</c> (the namespaced install): the expander list-watches each named namespace on its own and
/// reconciles their values ConfigMaps; one in a namespace not named is never seen, so it gets no status and no objects.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderNamespacesTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Only_the_named_namespaces_are_watched_and_reconciled()
    {
        var client = controlPlane.Client;
        var a = await controlPlane.CreateNamespaceAsync("exp-ns-a");
        var b = await controlPlane.CreateNamespaceAsync("exp-ns-b");
        var other = await controlPlane.CreateNamespaceAsync("exp-ns-other");
        foreach (var ns in (string[])[a, b, other])
        {
            await ValuesFixtures.CreateSourceSecretAsync(client, ns, "namespaces-test-key");
        }

        await using var expander = RunningExpander.Start(controlPlane, a, o => o with { WatchNamespaces = [a, b] });
        foreach (var ns in (string[])[a, b, other])
        {
            await ValuesFixtures.CreateValuesAsync(client, ns, ValuesFixtures.Values());
        }

        foreach (var ns in (string[])[a, b])
        {
            await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(client, ns))?["ready"]?.GetValue<bool>() == true, Timeout, $"{ns} ready");
        }

        var metrics = await expander.MetricsAsync();
        Assert.Contains("\nexpander_values_configmaps 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"reconciling values ConfigMaps in {a}, {b} with", expander.Log, StringComparison.Ordinal);
        Assert.Null(await ValuesFixtures.StatusAsync(client, other));
        var cm = await client.CoreV1.ReadNamespacedConfigMapAsync(ValuesFixtures.Name, other);
        foreach (var o in await ValuesFixtures.ExpectedAsync(expander.Client, cm))
        {
            Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(o, other), default));
        }
    }
}
