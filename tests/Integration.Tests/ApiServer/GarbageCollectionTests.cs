using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>The controller manager's garbage collector follows ownerReferences, to custom resources too, under its own ServiceAccount.</summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class GarbageCollectionTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan CollectionTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Deleting_the_owner_ConfigMap_collects_its_dependent_ConfigMap_and_Backend()
    {
        var ns = await controlPlane.CreateNamespaceAsync("gc");
        var client = controlPlane.Client;
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, ns);
        var ownerReference = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid };

        await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dependent", OwnerReferences = [ownerReference] } }, ns);
        var backend = new JsonObject
        {
            ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1",
            ["kind"] = "Backend",
            ["metadata"] = new JsonObject
            {
                ["name"] = "dependent",
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = owner.Metadata.Name, ["uid"] = owner.Metadata.Uid,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["endpoints"] = new JsonArray(new JsonObject { ["fqdn"] = new JsonObject { ["hostname"] = "api.example.com", ["port"] = 443 } }),
            },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(backend, "gateway.envoyproxy.io", "v1alpha1", ns, "backends");
        var dependentConfigMap = () => client.CoreV1.ReadNamespacedConfigMapAsync("dependent", ns);
        var dependentBackend = ApiErrors.ReadCustomObject(client, "gateway.envoyproxy.io", "v1alpha1", ns, "backends", "dependent");
        Assert.True(await ApiErrors.ExistsAsync(dependentConfigMap));
        Assert.True(await ApiErrors.ExistsAsync(dependentBackend));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns);

        await Eventually.UntilAsync(
            async () => !await ApiErrors.ExistsAsync(dependentConfigMap) && !await ApiErrors.ExistsAsync(dependentBackend),
            CollectionTimeout,
            "the dependent ConfigMap and Backend are garbage-collected after their owner is deleted");

        // the controllers run under their own ServiceAccounts (--use-service-account-credentials), as in real clusters:
        // the controller manager created these for the garbage collector and the namespace controller
        var accounts = (await client.CoreV1.ListNamespacedServiceAccountAsync("kube-system")).Items.Select(a => a.Metadata.Name).ToList();
        Assert.Contains("generic-garbage-collector", accounts);
        Assert.Contains("namespace-controller", accounts);
    }
}
