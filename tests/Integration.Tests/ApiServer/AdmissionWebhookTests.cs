using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The apiserver calls a validating admission webhook over HTTPS (url + caBundle; v1.20 cannot route to a
/// service here) and passes its denial back to the client.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class AdmissionWebhookTests(ControlPlaneFixture controlPlane)
{
    private const string RunLabel = "integration.test/webhook-run";
    private const string DenyLabel = "integration.test/deny";
    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Validating_webhook_on_loopback_denies_labelled_ConfigMaps_through_the_api()
    {
        var ns = await controlPlane.CreateNamespaceAsync("webhook");
        var client = controlPlane.Client;
        var run = Guid.NewGuid().ToString("N")[..10];
        var reason = $"ConfigMaps labelled {DenyLabel}=true are refused (run {run})";
        await using var endpoint = await LoopbackAdmissionWebhook.StartAsync(
            obj => (string?)obj["metadata"]?["labels"]?[DenyLabel] == "true" ? reason : null);
        var webhookName = $"deny-labelled.{run}.integration.test";
        var configuration = new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = $"deny-labelled-{run}" },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = webhookName,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig
                    {
                        Url = endpoint.Url.AbsoluteUri, CaBundle = Encoding.ASCII.GetBytes(endpoint.CaBundlePem),
                    },
                    Rules =
                    [
                        new V1RuleWithOperations
                        {
                            ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["configmaps"], Scope = "Namespaced",
                        },
                    ],
                    // only this test's objects go to this endpoint, whatever else runs at the same time
                    ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [RunLabel] = run } },
                    FailurePolicy = "Fail",
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                    TimeoutSeconds = 10,
                },
            ],
        };
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(configuration);
        try
        {
            // the apiserver picks a new configuration up asynchronously: try fresh objects until the webhook answers
            HttpOperationException? denial = null;
            string? refusedName = null;
            var attempt = 0;
            await Eventually.UntilAsync(
                async () =>
                {
                    var name = $"refused-{attempt++}";
                    try
                    {
                        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(name, run, deny: true), ns);
                        await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns); // admitted before the webhook was active
                        return false;
                    }
                    catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
                    {
                        (denial, refusedName) = (e, name);
                        return true;
                    }
                },
                ActivationTimeout,
                "the apiserver calls the new validating webhook");

            Assert.Equal($"admission webhook \"{webhookName}\" denied the request: {reason}", ApiErrors.MessageOf(denial!));
            Assert.Contains(endpoint.Calls, c => c.Name == refusedName && c.Namespace == ns && c.Operation == "CREATE" && !c.Allowed);
            Assert.False(await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(refusedName!, ns)));

            // an object the endpoint does not object to passes through it and is stored
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("accepted", run, deny: false), ns);
            Assert.Contains(endpoint.Calls, c => c.Name == "accepted" && c.Namespace == ns && c.Allowed);
        }
        finally
        {
            await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(configuration.Metadata.Name);
        }
    }

    private static V1ConfigMap ConfigMap(string name, string run, bool deny)
    {
        var labels = new Dictionary<string, string> { [RunLabel] = run };
        if (deny)
        {
            labels[DenyLabel] = "true";
        }

        return new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
    }
}
