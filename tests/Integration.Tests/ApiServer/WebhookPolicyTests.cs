using System.Net;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The cluster-wide policy ConfigMap, through the real apiserver: the webhook watches it in its own namespace and applies
/// each version without a restart; a broken version keeps the last good policy and is reported; deleting it restores
/// the default policy. The webhook is registered for this test's values namespace only (<see cref="ModelsWebhookHost"/>),
/// and has a namespace and a policy ConfigMap name of its own.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class WebhookPolicyTests(ControlPlaneFixture controlPlane)
{
    /// <summary>Bounds the time for a policy change to travel: apiserver → watch → webhook. Never a speed assertion.</summary>
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_policy_ConfigMap_is_applied_without_a_restart_a_broken_one_keeps_the_last_good_and_deleting_it_restores_the_default()
    {
        var client = controlPlane.Client;
        var webhookNs = await controlPlane.CreateNamespaceAsync("webhook-policy-home");
        var ns = await controlPlane.CreateNamespaceAsync("webhook-policy");
        var policyName = $"models-policy-{Guid.NewGuid():N}"[..22];
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, webhookNs, "--policy-configmap", policyName);
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);

        // valid under the default policy (two backends per model)
        await client.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues), ns);
        Assert.Null(await UpdateDenialAsync(client, ns));
        Assert.Contains("default policy", await webhook.GetTextAsync("/readyz"), StringComparison.Ordinal);

        // a stricter policy: the same values, written again with a change, are now denied with the policy's message
        await client.CoreV1.CreateNamespacedConfigMapAsync(Policy(policyName, "minBackendsPerModel: 3\n"), webhookNs);
        var denial = await EventuallyDeniedAsync(client, ns, "minBackendsPerModel: 3");
        Assert.Contains($"admission webhook \"{webhook.ValuesWebhookName}\" denied the request: ConfigMap {ns}/models: 1 error", denial, StringComparison.Ordinal);
        Assert.Contains("models.gpt-4.backends: model gpt-4 has 2 enabled backend(s); at least 3 are required", denial, StringComparison.Ordinal);
        var ready = await webhook.GetTextAsync("/readyz");
        Assert.StartsWith("ok\n", ready, StringComparison.Ordinal);
        Assert.Contains($"policy: ConfigMap {webhookNs}/{policyName} (resourceVersion ", ready, StringComparison.Ordinal);
        Assert.DoesNotContain("policy problem", ready, StringComparison.Ordinal);

        // a broken policy: refused and reported, and the last good one (3 backends) stays in force
        await ReplacePolicyAsync(client, webhookNs, policyName, "minBackendsPerModel: 99\n");
        string? problem = null;
        await Eventually.UntilAsync(
            async () => (problem = await webhook.GetTextAsync("/readyz")).Contains("policy problem:", StringComparison.Ordinal),
            PropagationTimeout,
            "/readyz reports the broken policy");
        Assert.Contains($"policy problem: ConfigMap {webhookNs}/{policyName} (resourceVersion ", problem, StringComparison.Ordinal);
        Assert.Contains("minBackendsPerModel: must be between 1 and 16", problem, StringComparison.Ordinal);
        Assert.Contains("is invalid, keeping ConfigMap", problem, StringComparison.Ordinal);
        var metrics = await webhook.GetTextAsync("/metrics");
        Assert.Contains("\nwebhook_policy_valid 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nwebhook_policy_errors_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("at least 3 are required", await UpdateDenialAsync(client, ns) ?? "(accepted)", StringComparison.Ordinal);

        // back to two backends: accepted again, and the problem is gone
        await ReplacePolicyAsync(client, webhookNs, policyName, "minBackendsPerModel: 2\n");
        await Eventually.UntilAsync(async () => await UpdateDenialAsync(client, ns) is null, PropagationTimeout, "the relaxed policy is applied");
        Assert.DoesNotContain("policy problem", await webhook.GetTextAsync("/readyz"), StringComparison.Ordinal);
        Assert.Contains("\nwebhook_policy_valid 1\n", await webhook.GetTextAsync("/metrics"), StringComparison.Ordinal);

        // allowed Gateways per namespace: this namespace may use only Gateways in another namespace
        await ReplacePolicyAsync(client, webhookNs, policyName, $"allowedGateways:\n  - namespaces: \"{ns}\"\n    gateways: [\"shared-gateways/*\"]\n");
        var gatewayDenial = await EventuallyDeniedAsync(client, ns, "allowedGateways");
        Assert.Contains($"gatewayRef: Gateway {ns}/ai-gateway is not allowed for namespace {ns} by the policy (allowed: shared-gateways/*)", gatewayDenial, StringComparison.Ordinal);

        // deleted: the default policy, under which the values are valid
        await client.CoreV1.DeleteNamespacedConfigMapAsync(policyName, webhookNs);
        await Eventually.UntilAsync(async () => await UpdateDenialAsync(client, ns) is null, PropagationTimeout, "the default policy is back");
        Assert.Contains("(absent: default policy)", await webhook.GetTextAsync("/readyz"), StringComparison.Ordinal);
    }

    private static V1ConfigMap Policy(string name, string text) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { [PolicyReader.DataKey] = text },
    };

    private static async Task ReplacePolicyAsync(Kubernetes client, string ns, string name, string text) =>
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(Policy(name, text), name, ns);

    /// <summary>
    /// A dry-run update of the stored values ConfigMap that changes its values by a comment (an UPDATE that reaches both
    /// webhooks and stores nothing; one that left the values as they were would not be judged again): null when
    /// admitted, else the apiserver's message.
    /// </summary>
    private static int touches;

    private static async Task<string?> UpdateDenialAsync(Kubernetes client, string ns)
    {
        try
        {
            // the values must change, or the ratchet admits the update unjudged; a counter, not a GUID: 32 random hex
            // characters in a comment are credential-shaped and denied as such
            var values = ModelsWebhookTests.GoodValues + $"\n# touched {Interlocked.Increment(ref touches)} times\n";
            await client.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch(new V1ConfigMap { Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values } }, V1Patch.PatchType.MergePatch),
                "models", ns, dryRun: "All");
            return null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            return ApiErrors.MessageOf(e);
        }
    }

    private static async Task<string> EventuallyDeniedAsync(Kubernetes client, string ns, string policy)
    {
        string? denial = null;
        await Eventually.UntilAsync(async () => (denial = await UpdateDenialAsync(client, ns)) is not null, PropagationTimeout, $"the policy ({policy}) is applied");
        return denial!;
    }
}
