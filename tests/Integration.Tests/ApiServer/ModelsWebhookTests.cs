using System.Net;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The real webhook service (src/Webhook, started in-process on loopback) registered with the real apiserver as a
/// mutating and two validating webhooks (url + caBundle), through <see cref="ModelsWebhookHost"/>: scoped to this test's
/// namespace, so that other tests in the same run never reach it; the configurations are deleted at the end.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ModelsWebhookTests(ControlPlaneFixture controlPlane)
{
    private const string HashAnnotation = ModelsWebhookHost.HashAnnotation;

    internal const string GoodValues = AiGatewayModels.TestSupport.Cases.SampleValues.TwoBackendsOneModel;

    [Fact]
    public async Task Values_ConfigMaps_are_judged_labelled_and_hashed_and_generated_objects_are_guarded()
    {
        var client = controlPlane.Client;
        var ns = await controlPlane.CreateNamespaceAsync("models-webhook");
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, ns);
        await webhook.AddNamespaceAsync(ns);

        // the apiserver picks new configurations up asynchronously: try fresh bad objects until the webhook answers
        var denial = await webhook.WaitUntilCalledAsync(ns);
        var message = ApiErrors.MessageOf(denial);
        Assert.Contains($"admission webhook \"{webhook.ValuesWebhookName}\" denied the request: ConfigMap {ns}/bad-", message, StringComparison.Ordinal);
        Assert.Contains("\ngatewayRef.name: ", message, StringComparison.Ordinal);

        // a good one is stored, labelled and hashed by the mutating webhook
        await client.CoreV1.CreateNamespacedConfigMapAsync(Values("models", GoodValues), ns);
        var stored = await client.CoreV1.ReadNamespacedConfigMapAsync("models", ns);
        Assert.Equal("true", stored.Metadata.Labels[WellKnown.ValuesAnnotation]);
        Assert.StartsWith("sha256:", stored.Metadata.Annotations[HashAnnotation], StringComparison.Ordinal);
        Assert.Equal(GoodValues, stored.Data[WellKnown.ValuesDataKey]);

        // a dry run is judged and stores nothing
        var dryBad = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CoreV1.CreateNamespacedConfigMapAsync(Values("dry-bad", "gatewayRef: {}\n"), ns, dryRun: "All"));
        Assert.Equal(HttpStatusCode.Forbidden, dryBad.Response.StatusCode);
        // (other backends and model than "models": the same values would collide with it, see WebhookGuardrailTests)
        var distinct = GoodValues.Edit("openai", "dry-openai").Edit("azure", "dry-azure").Edit("gpt-4:", "gpt-4-dry:");
        var dryGood = await client.CoreV1.CreateNamespacedConfigMapAsync(Values("dry-good", distinct), ns, dryRun: "All");
        Assert.StartsWith("sha256:", dryGood.Metadata.Annotations[HashAnnotation], StringComparison.Ordinal);
        Assert.False(await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-good", ns)));
        Assert.False(await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-bad", ns)));

        // a manual edit of a generated object (our labels and a controller owner reference to the live values
        // ConfigMap; the Secret kind needs no CRD) is denied, cluster-admin's included; so is deleting it
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "openai-apikey-projected",
                Labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue, [WellKnown.SourceLabel] = "models" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "models", Uid = stored.Metadata.Uid, Controller = true }],
            },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.ASCII.GetBytes("old") },
        };
        await client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
        var patch = new V1Patch("{\"data\":{\"apiKey\":\"bmV3\"},\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":null}}}", V1Patch.PatchType.MergePatch);
        // (dry runs until the webhook's watch has seen the ConfigMap)
        await ApiErrors.EventuallyDeniedAsync(() => client.CoreV1.PatchNamespacedSecretAsync(patch, secret.Metadata.Name, ns, dryRun: "All"), TimeSpan.FromSeconds(30), "the owner is live");
        var edit = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedSecretAsync(patch, secret.Metadata.Name, ns));
        Assert.Equal(HttpStatusCode.Forbidden, edit.Response.StatusCode);
        Assert.Contains($"edit ConfigMap {ns}/models instead", ApiErrors.MessageOf(edit), StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.DeleteNamespacedSecretAsync(secret.Metadata.Name, ns));
        Assert.Equal(HttpStatusCode.Forbidden, delete.Response.StatusCode);
        await client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("{\"metadata\":{\"annotations\":{\"note\":\"metadata is free\"}}}", V1Patch.PatchType.MergePatch), secret.Metadata.Name, ns);

        // our labels without an owner prove nothing: such an object is anyone's to change and delete
        var labelsOnly = new V1Secret { Metadata = new V1ObjectMeta { Name = "labels-only", Labels = secret.Metadata.Labels } };
        await client.CoreV1.CreateNamespacedSecretAsync(labelsOnly, ns);
        await client.CoreV1.PatchNamespacedSecretAsync(patch, labelsOnly.Metadata.Name, ns);
        await client.CoreV1.DeleteNamespacedSecretAsync(labelsOnly.Metadata.Name, ns);

        // the webhook stops: failurePolicy Fail blocks values ConfigMaps, and nothing else
        await webhook.StopAsync();
        var blocked = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(
            Values("while-down", GoodValues, labelled: true), ns));
        Assert.Equal(HttpStatusCode.InternalServerError, blocked.Response.StatusCode);
        Assert.Contains("failed calling webhook", ApiErrors.MessageOf(blocked), StringComparison.Ordinal);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "plain" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, ns);
    }

    private static V1ConfigMap Values(string name, string values, bool labelled = false) => ModelsWebhookHost.Values(name, values, labelled);
}
