using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Webhook;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>
/// The real webhook service (src/Webhook, in-process on loopback) registered with the real apiserver as a mutating and
/// two validating webhooks (url + caBundle). Every registration is scoped by a namespaceSelector on a label with a value
/// of its own (<see cref="Run"/>), set only on the namespaces a test passes to <see cref="AddNamespaceAsync"/>, so other
/// tests in the same run never reach it. Dispose deletes the configurations, then stops the service.
/// </summary>
public sealed class ModelsWebhookHost : IAsyncDisposable
{
    public const string RunLabel = "integration.test/models-webhook-run";
    public const string HashAnnotation = "models.ai-gateway.io/values-hash";

    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(60);

    private readonly IKubernetes client;
    private readonly TestCertificateAuthority ca;
    private readonly string dir;
    private readonly V1MutatingWebhookConfiguration mutating;
    private readonly V1ValidatingWebhookConfiguration validating;
    private bool running = true;

    private ModelsWebhookHost(
        IKubernetes client, TestCertificateAuthority ca, string dir, WebApplication app, string run,
        V1MutatingWebhookConfiguration mutating, V1ValidatingWebhookConfiguration validating)
    {
        this.client = client;
        this.ca = ca;
        this.dir = dir;
        App = app;
        Run = run;
        this.mutating = mutating;
        this.validating = validating;
        BaseUrl = new Uri(app.Urls.Single());
        var trusted = X509Certificate2.CreateFromPem(ca.CertificatePem);
        Http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        })
        { BaseAddress = BaseUrl };
    }

    public WebApplication App { get; }

    /// <summary>The value of <see cref="RunLabel"/> on the namespaces in scope, and part of every webhook's name.</summary>
    public string Run { get; }

    public Uri BaseUrl { get; }

    /// <summary>An HTTPS client that trusts the webhook's CA: for /readyz and /metrics.</summary>
    public HttpClient Http { get; }

    public string ValuesWebhookName => $"values.{Run}.models.ai-gateway.io";

    /// <summary>Starts the webhook with the fixture's kubeconfig, its own namespace and the extra arguments, and registers it.</summary>
    public static async Task<ModelsWebhookHost> StartAsync(ControlPlaneFixture controlPlane, string webhookNamespace, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(controlPlane);
        var run = Guid.NewGuid().ToString("N")[..10];
        var ca = TestCertificateAuthority.Create("models-webhook-ca");
        var dir = Directory.CreateTempSubdirectory("models-webhook-").FullName;
        var serving = ca.IssueLoopbackServingCertificate();
        await File.WriteAllTextAsync(Path.Combine(dir, "tls.crt"), serving.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(dir, "tls.key"), serving.PrivateKeyPem);
        var app = WebhookApp.Build(
        [
            "--urls", "https://127.0.0.1:0", "--tls-cert-file", Path.Combine(dir, "tls.crt"), "--tls-key-file", Path.Combine(dir, "tls.key"),
            "--kubeconfig", controlPlane.KubeconfigPath, "--namespace", webhookNamespace, .. extraArgs,
        ]);
        await app.StartAsync();
        var (mutating, validating) = Configurations(run, new Uri(app.Urls.Single()), ca.CertificatePem);
        var client = controlPlane.Client;
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(mutating);
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(validating);
        return new ModelsWebhookHost(client, ca, dir, app, run, mutating, validating);
    }

    /// <summary>A values ConfigMap (the annotation; the label only when asked, the mutating webhook adds it).</summary>
    public static V1ConfigMap Values(string name, string values, bool labelled = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" },
            Labels = labelled ? new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" } : null,
        },
        Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values },
    };

    /// <summary>Puts a namespace in the webhooks' scope.</summary>
    public async Task AddNamespaceAsync(string ns) =>
        await client.CoreV1.PatchNamespaceAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{RunLabel}\":\"{Run}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);

    /// <summary>
    /// The apiserver picks new configurations up asynchronously: creates fresh bad values ConfigMaps in <paramref name="ns"/>
    /// (deleting those that got through) until the webhook denies one, and returns that denial.
    /// </summary>
    public async Task<HttpOperationException> WaitUntilCalledAsync(string ns)
    {
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
        return denial!;
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Stops the service (the configurations stay registered: failurePolicy can be observed).</summary>
    public async Task StopAsync()
    {
        if (running)
        {
            running = false;
            await App.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(validating.Metadata.Name);
            await client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(mutating.Metadata.Name);
        }
        finally
        {
            await StopAsync();
            await App.DisposeAsync();
            Http.Dispose();
            ca.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

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
