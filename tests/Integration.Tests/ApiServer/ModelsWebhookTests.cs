using System.Net;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Webhook;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The real webhook service (src/Webhook, started in-process on loopback) registered with the real apiserver as a
/// mutating and two validating webhooks (url + caBundle). Scoped to this test's namespace by a namespaceSelector on a
/// label the test sets, so that other tests in the same run never reach it; the configurations are deleted at the end.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ModelsWebhookTests(ControlPlaneFixture controlPlane)
{
    private const string RunLabel = "integration.test/models-webhook-run";
    private const string HashAnnotation = "models.ai-gateway.io/values-hash";
    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(60);

    private const string GoodValues = """
        gatewayRef:
          name: ai-gateway
        backends:
          openai:
            resourceName: openai-backend
            schema: OpenAI
            fqdn:
              hostname: api.openai.com
              port: 443
            apiKeySecretRef:
              name: openai-apikey
              key: apiKey
          azure:
            resourceName: azure-backend
            schema: OpenAI
            fqdn:
              hostname: example.openai.azure.com
              port: 443
            apiKeySecretRef:
              name: azure-apikey
              key: apiKey
        models:
          gpt-4:
            backends:
              primary:
                ref: openai
              secondary:
                ref: azure
        """;

    [Fact]
    public async Task Values_ConfigMaps_are_judged_labelled_and_hashed_and_generated_objects_are_guarded()
    {
        var client = controlPlane.Client;
        var ns = await controlPlane.CreateNamespaceAsync("models-webhook");
        var run = Guid.NewGuid().ToString("N")[..10];
        await client.CoreV1.PatchNamespaceAsync(
            new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{RunLabel}\":\"{run}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);

        using var ca = TestCertificateAuthority.Create("models-webhook-ca");
        var dir = Directory.CreateTempSubdirectory("models-webhook-").FullName;
        var serving = ca.IssueLoopbackServingCertificate();
        await File.WriteAllTextAsync(Path.Combine(dir, "tls.crt"), serving.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(dir, "tls.key"), serving.PrivateKeyPem);
        var app = WebhookApp.Build(
        [
            "--urls", "https://127.0.0.1:0", "--tls-cert-file", Path.Combine(dir, "tls.crt"), "--tls-key-file", Path.Combine(dir, "tls.key"),
            "--kubeconfig", controlPlane.KubeconfigPath, "--namespace", ns,
        ]);
        await app.StartAsync();
        var running = true;
        var baseUrl = new Uri(app.Urls.Single());
        var (mutating, validating) = Configurations(run, baseUrl, ca.CertificatePem);
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(mutating);
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(validating);
        try
        {
            // the apiserver picks new configurations up asynchronously: try fresh bad objects until the webhook answers
            HttpOperationException? denial = null;
            var attempt = 0;
            await Eventually.UntilAsync(
                async () =>
                {
                    var name = $"bad-{attempt++}";
                    try
                    {
                        await client.CoreV1.CreateNamespacedConfigMapAsync(Values(name, "gatewayRef: {}\nbackends: {}\nmodels: {}\n"), ns);
                        await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns);
                        return false;
                    }
                    catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
                    {
                        denial = e;
                        return true;
                    }
                },
                ActivationTimeout,
                "the apiserver calls the models webhooks");
            var message = ApiErrors.MessageOf(denial!);
            Assert.Contains($"admission webhook \"values.{run}.models.ai-gateway.io\" denied the request: ConfigMap {ns}/bad-", message, StringComparison.Ordinal);
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
            var dryGood = await client.CoreV1.CreateNamespacedConfigMapAsync(Values("dry-good", GoodValues), ns, dryRun: "All");
            Assert.StartsWith("sha256:", dryGood.Metadata.Annotations[HashAnnotation], StringComparison.Ordinal);
            Assert.False(await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-good", ns)));
            Assert.False(await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-bad", ns)));

            // a manual edit of a generated object is denied (the Secret kind needs no CRD); so is deleting it
            var secret = new V1Secret
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "openai-apikey-projected",
                    Labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue, [WellKnown.SourceLabel] = "models" },
                },
                Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.ASCII.GetBytes("old") },
            };
            await client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
            var edit = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedSecretAsync(
                new V1Patch("{\"data\":{\"apiKey\":\"bmV3\"},\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":null}}}", V1Patch.PatchType.MergePatch),
                secret.Metadata.Name, ns));
            Assert.Equal(HttpStatusCode.Forbidden, edit.Response.StatusCode);
            Assert.Contains($"edit ConfigMap {ns}/models instead", ApiErrors.MessageOf(edit), StringComparison.Ordinal);
            var delete = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.DeleteNamespacedSecretAsync(secret.Metadata.Name, ns));
            Assert.Equal(HttpStatusCode.Forbidden, delete.Response.StatusCode);
            await client.CoreV1.PatchNamespacedSecretAsync(
                new V1Patch("{\"metadata\":{\"annotations\":{\"note\":\"metadata is free\"}}}", V1Patch.PatchType.MergePatch), secret.Metadata.Name, ns);

            // the webhook stops: failurePolicy Fail blocks values ConfigMaps, and nothing else
            await app.StopAsync();
            running = false;
            var blocked = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(
                Values("while-down", GoodValues, labelled: true), ns));
            Assert.Equal(HttpStatusCode.InternalServerError, blocked.Response.StatusCode);
            Assert.Contains("failed calling webhook", ApiErrors.MessageOf(blocked), StringComparison.Ordinal);
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "plain" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, ns);
        }
        finally
        {
            await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(validating.Metadata.Name);
            await client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(mutating.Metadata.Name);
            if (running)
            {
                await app.StopAsync();
            }

            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static V1ConfigMap Values(string name, string values, bool labelled = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" },
            Labels = labelled ? new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" } : null,
        },
        Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values },
    };

    private static (V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration) Configurations(string run, Uri baseUrl, string caPem)
    {
        var namespaces = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [RunLabel] = run } };
        Admissionregistrationv1WebhookClientConfig Client(string path) =>
            new() { Url = new Uri(baseUrl, path).AbsoluteUri, CaBundle = Encoding.ASCII.GetBytes(caPem) };
        var configMaps = new V1RuleWithOperations
        {
            ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE", "UPDATE"], Resources = ["configmaps"], Scope = "Namespaced",
        };
        var mutating = new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = $"models-mutating-{run}" },
            Webhooks =
            [
                new V1MutatingWebhook
                {
                    Name = $"label.{run}.models.ai-gateway.io",
                    ClientConfig = Client("/mutate"),
                    Rules = [configMaps],
                    NamespaceSelector = namespaces,
                    // Every ConfigMap passes through it (the marker is an annotation, and v1.20 can select on labels only), so a
                    // webhook outage must not block them all: Ignore. The validating webhook below is the guard.
                    FailurePolicy = "Ignore",
                    SideEffects = "None",
                    ReinvocationPolicy = "Never",
                    AdmissionReviewVersions = ["v1"],
                    TimeoutSeconds = 10,
                },
            ],
        };
        var generated = new V1RuleWithOperations
        {
            ApiGroups = ResourceKind.All.Select(k => k.Group).Distinct().ToList(),
            ApiVersions = ["*"],
            Operations = ["UPDATE", "DELETE"],
            Resources = ResourceKind.All.Select(k => k.Plural).ToList(),
            Scope = "Namespaced",
        };
        var validating = new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = $"models-validating-{run}" },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = $"values.{run}.models.ai-gateway.io",
                    ClientConfig = Client("/validate"),
                    Rules = [configMaps],
                    NamespaceSelector = namespaces,
                    // Both an objectSelector and the webhook's own filter, on purpose:
                    // - objectSelector (the label the mutating webhook adds): with failurePolicy Fail, an outage of the webhook
                    //   blocks only values ConfigMaps; without it every ConfigMap in the cluster would fail (v1.20 has no
                    //   matchConditions to select on the annotation).
                    // - the in-code filter (the annotation): the label is the user's to set, so a labelled ConfigMap that is not
                    //   values must still be allowed at once, without its data being parsed; and a cluster registration that
                    //   forgets the objectSelector still cannot make the webhook judge ordinary ConfigMaps.
                    ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" } },
                    FailurePolicy = "Fail",
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                    TimeoutSeconds = 10,
                },
                new V1ValidatingWebhook
                {
                    Name = $"generated.{run}.models.ai-gateway.io",
                    ClientConfig = Client("/validate"),
                    Rules = [generated],
                    NamespaceSelector = namespaces,
                    // matched against the old object too (UPDATE, DELETE): removing the label does not escape it
                    ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue } },
                    FailurePolicy = "Fail",
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                    TimeoutSeconds = 10,
                },
            ],
        };
        return (mutating, validating);
    }
}
