using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport.Cases;
using AiGatewayModels.TestSupport.Processes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// The install, end to end on the real apiserver (<see cref="InstalledModels"/>: the manifests' RBAC, the webhook and
/// the expander under their own service accounts, every webhook registered). A user creates the bundled examples with
/// the API: the objects the engine renders appear, and the invalid example is rejected.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class InstallEndToEndTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Examples_created_by_a_user_are_expanded_and_the_invalid_one_is_rejected()
    {
        var client = controlPlane.Client;
        var ns = await controlPlane.CreateNamespaceAsync("install");
        // the expander gets its token from an exec credential plugin, as on EKS, GKE or AKS from a laptop: the
        // published (Native AOT) binary runs the plugin through KubernetesClient.Aot
        await using var install = await InstalledModels.StartAsync(controlPlane, ns, expanderExecPlugin: true);
        var run = install.Run;
        // the invalid example is rejected with every error (retried until the apiserver has picked up the configurations)
        var invalid = ReadExample("invalid-example.yaml", ns);
        HttpOperationException? denial = null;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(invalid, ns);
                await client.CoreV1.DeleteNamespacedConfigMapAsync(invalid.Metadata.Name, ns);
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                denial = e;
                return true;
            }
        }, Timeout, "the apiserver calls the webhook");
        var message = ApiErrors.MessageOf(denial!);
        Assert.Contains($"admission webhook \"values.{run}.models.ai-gateway.io\" denied the request", message, StringComparison.Ordinal);
        Assert.Contains("models.gpt-4.backends.failover.ref: backend \"openai-primry\" is not defined under backends (did you mean \"openai-primary\"?)", message, StringComparison.Ordinal);
        Assert.Contains("models.gpt-4.rateLimit.limits.gpt4-limit.rates[0].window: \"1d\" is not a Kuadrant window", message, StringComparison.Ordinal);
        Assert.Contains("backends.internal.fqdn.hostname: \"vllm.ml.svc.cluster.local\" is denied by the policy", message, StringComparison.Ordinal);

        // a user creates the valid examples (and the Secrets they name) with the API
        var expected = new List<(RenderedObject Object, string ConfigMap)>();
        foreach (var example in ValuesCase.BundledExamples())
        {
            var file = Path.Combine(ValuesCase.ExamplesDir, example.Name + ".yaml");
            var configMap = ReadExample(Path.GetFileName(file), ns);
            Assert.NotEmpty(await NamedSecrets.CreateAsync(client, ns, configMap.Data[WellKnown.ValuesDataKey], "test-key-" + run, example.Policy));

            var created = await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, ns);
            Assert.Equal("true", created.Metadata.Labels[WellKnown.ValuesAnnotation]); // the mutating webhook
            var evaluation = ValuesEvaluator.Evaluate(example.Document with { Namespace = ns }, example.Policy);
            Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
            var rendered = Renderer.Render(evaluation.Model!, new RenderOptions(ApiVersionSelection.Newest, new OwnerConfigMap(created.Metadata.Name, created.Metadata.Uid)));
            expected.AddRange(rendered.Objects.Select(o => (o, created.Metadata.Name)));
            foreach (var p in rendered.SecretProjections)
            {
                expected.Add((new RenderedObject(ResourceKind.Secret, "v1", p.ProjectedName!, new JsonObject()), created.Metadata.Name));
            }
        }

        // the expander creates the engine's objects, each as rendered (the apiserver may add defaults)
        Assert.NotEmpty(expected);
        var missing = new List<string>();
        await InstalledModels.UntilAsync(async () =>
        {
            missing.Clear();
            foreach (var (o, _) in expected)
            {
                var live = await GetAsync(client, o, ns);
                if (live is null || !Contains(live["spec"], o.Manifest["spec"]))
                {
                    missing.Add($"{o.Kind.Kind}/{o.Name}{(live is null ? " (absent)" : " (spec differs)")}");
                }
            }

            return missing.Count == 0;
        }, () => "the expander creates every rendered object; missing: " + string.Join(", ", missing) + "\n" + install.Log("expander"));

        // and reports it on each values ConfigMap
        foreach (var name in expected.Select(e => e.ConfigMap).Distinct())
        {
            await Eventually.UntilAsync(async () =>
            {
                var cm = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
                return cm.Metadata.Annotations?.TryGetValue("models.ai-gateway.io/status", out var status) == true
                    && JsonNode.Parse(status)?["ready"]?.GetValue<bool>() == true;
            }, Timeout, $"ConfigMap {ns}/{name} has a ready status annotation");
        }

        // everything the expander did, it did with the token its exec credential plugin printed
        Assert.NotEmpty(await File.ReadAllLinesAsync(Path.Combine(install.Dir, "expander.exec-runs")));
    }

    private static V1ConfigMap ReadExample(string file, string ns)
    {
        var o = ManifestYaml.LoadDocuments(Path.Combine(ValuesCase.ExamplesDir, file)).Single();
        o["metadata"]!["namespace"] = ns;
        return KubernetesJson.Deserialize<V1ConfigMap>(o.ToJsonString());
    }

    private static async Task<JsonObject?> GetAsync(Kubernetes client, RenderedObject o, string ns)
    {
        try
        {
            if (o.Kind == ResourceKind.Secret)
            {
                await client.CoreV1.ReadNamespacedSecretAsync(o.Name, ns);
                return new JsonObject { ["spec"] = new JsonObject() };
            }

            var (group, version) = (o.Kind.Group, o.ApiVersion.Split('/')[^1]);
            var live = await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns, o.Kind.Plural, o.Name);
            return JsonNode.Parse(KubernetesJson.Serialize(live))!.AsObject();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every field of <paramref name="want"/> is in <paramref name="have"/> with the same value (lists element by element).</summary>
    private static bool Contains(JsonNode? have, JsonNode? want) => (have, want) switch
    {
        (_, null) => true,
        (JsonObject h, JsonObject w) => w.All(kv => h.TryGetPropertyValue(kv.Key, out var v) && Contains(v, kv.Value)),
        (JsonArray h, JsonArray w) => h.Count == w.Count && w.Select((x, i) => Contains(h[i], x)).All(b => b),
        (JsonValue h, JsonValue w) => h.ToJsonString() == w.ToJsonString(),
        _ => false,
    };
}
