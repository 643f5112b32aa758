using System.Net;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The policy's ceilings at admission, through the real apiserver: per values ConfigMap (an engine rule) and per
/// namespace (the webhook sums the namespace's values ConfigMaps from its watch). Denials name the ceiling, the count
/// and the policy key; a change that makes the namespace smaller is admitted even while it is over.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class WebhookCeilingTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Values_past_a_ceiling_are_denied_with_the_count_the_ceiling_and_the_policy_key()
    {
        var client = controlPlane.Client;
        var home = await controlPlane.CreateNamespaceAsync("webhook-ceil-home");
        var ns = await controlPlane.CreateNamespaceAsync("webhook-ceil");
        var policyName = $"models-policy-{Guid.NewGuid():N}"[..22];
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = policyName },
            Data = new Dictionary<string, string> { [PolicyReader.DataKey] = "ceilings: {modelsPerConfigMap: 3, modelsPerNamespace: 4}\n" },
        }, home);
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, home, "--policy-configmap", policyName);
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);
        await Eventually.UntilAsync(async () => (await webhook.GetTextAsync("/readyz")).Contains($"policy: ConfigMap {home}/{policyName}", StringComparison.Ordinal), WatchTimeout, "the policy is read");

        // one ConfigMap past its own ceiling
        var single = await ApiErrors.DeniedAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("big", ValuesFixtures.OwnBackends("a", 4, "openai-apikey")), ns));
        Assert.Contains("models: 4 models (enabled or not), above the ceiling of 3 models per values ConfigMap (policy ceilings.modelsPerConfigMap)", single, StringComparison.Ordinal);

        // two that fit alone but not together: the second is denied once the webhook's watch has the first
        await client.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("first", ValuesFixtures.OwnBackends("a", 3, "openai-apikey")), ns);
        var together = await ApiErrors.EventuallyDeniedAsync(
            () => client.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("second", ValuesFixtures.OwnBackends("b", 2, "openai-apikey")), ns, dryRun: "All"), WatchTimeout, "the webhook's watch has the first");
        Assert.Contains($"ConfigMap {ns}/second: namespace {ns} would hold 5 models in its values ConfigMaps (2 here, 3 in the others), above the ceiling of 4 models per namespace (policy ceilings.modelsPerNamespace)", together, StringComparison.Ordinal);

        // one fits beside it
        await client.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("second", ValuesFixtures.OwnBackends("b", 1, "openai-apikey")), ns);

        // the second may not grow past the ceiling; the first may shrink, and then the second may grow into the room
        var grow = await ApiErrors.DeniedAsync(() => ValuesFixtures.UpdateValuesAsync(client, ns, ValuesFixtures.OwnBackends("b", 2, "openai-apikey"), "second"));
        Assert.Contains("would hold 5 models in its values ConfigMaps (2 here, 3 in the others)", grow, StringComparison.Ordinal);
        await ValuesFixtures.UpdateValuesAsync(client, ns, ValuesFixtures.OwnBackends("a", 2, "openai-apikey"), "first");
        await Eventually.UntilAsync(
            async () => await DenialAsync(() => ValuesFixtures.UpdateValuesAsync(client, ns, ValuesFixtures.OwnBackends("b", 2, "openai-apikey"), "second")) is null,
            WatchTimeout,
            "the second grows once the first shrank");
    }

    private static async Task<string?> DenialAsync(Func<Task> request)
    {
        try
        {
            await request();
            return null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            return ApiErrors.MessageOf(e);
        }
    }
}
