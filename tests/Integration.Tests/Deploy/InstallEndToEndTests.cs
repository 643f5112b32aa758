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
/// The install, end to end on the real apiserver: the RBAC, namespace and policy of <c>deploy/manifests</c> applied for
/// real; the webhook and the expander run as processes with the tokens of their own service accounts, so they have exactly the manifests' RBAC; the manifests' webhook
/// configurations registered with these rewrites: clientConfig → <c>url</c> on loopback + caBundle (a Service cannot be
/// routed without nodes), webhook and configuration names suffixed with this run, the namespaceSelector narrowed to
/// this test's namespace (one shared control plane), matchConditions removed (v1.20). A user then creates the
/// bundled examples with the API: the objects the engine renders appear, and the invalid example is rejected.
/// The programs are the Native AOT binaries of the image when <c>MODELS_PUBLISHED_DIR</c> names them (CI publishes them
/// first with hack/docker-publish.sh, so the binaries that ship are the ones proven here), else the test output's
/// webhook.dll and expander.dll.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class InstallEndToEndTests(ControlPlaneFixture controlPlane)
{
    private const string RunLabel = "integration.test/install-run";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Examples_created_by_a_user_are_expanded_and_the_invalid_one_is_rejected()
    {
        var client = controlPlane.Client;
        var kubeconfig = controlPlane.KubeconfigPath;
        var run = Guid.NewGuid().ToString("N")[..8];
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        string[] realKinds = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap"];
        var (applyCode, applyOut, applyErr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--field-manager=deploy-test", "-f", "-"], DeployManifests.AsList(objects.Where(o => realKinds.Contains(o.Kind()))), kubeconfig);
        Assert.True(applyCode == 0, applyErr + applyOut);

        var dir = Directory.CreateTempSubdirectory("install-e2e-").FullName;
        var processes = new List<Process>();
        V1ValidatingWebhookConfiguration? validating = null;
        V1MutatingWebhookConfiguration? mutating = null;
        try
        {
            var webhookConfig = await ServiceAccountKubeconfigAsync("webhook", dir);
            // the expander gets its token from an exec credential plugin, as on EKS, GKE or AKS from a laptop: the
            // published (Native AOT) binary runs the plugin through KubernetesClient.Aot
            var expanderConfig = await ServiceAccountKubeconfigAsync("expander", dir, execPlugin: true);
            using var ca = TestCertificateAuthority.Create("install-e2e-ca");
            var serving = ca.IssueLoopbackServingCertificate();
            await File.WriteAllTextAsync(Path.Combine(dir, "tls.crt"), serving.CertificatePem);
            await File.WriteAllTextAsync(Path.Combine(dir, "tls.key"), serving.PrivateKeyPem);
            var port = FreePorts.Take(1)[0];
            processes.Add(Start(dir, "webhook",
                $"--urls=https://127.0.0.1:{port}", $"--tls-cert-file={dir}/tls.crt", $"--tls-key-file={dir}/tls.key",
                $"--kubeconfig={webhookConfig}", $"--namespace={DeployManifests.Namespace}"));
            using (var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
            {
                await UntilAsync(async () =>
                {
                    try
                    {
                        return (await http.GetAsync($"https://127.0.0.1:{port}/readyz")).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, () => "the webhook process is ready (it lists ConfigMaps with its own service account)\n" + Log(dir, "webhook"));
            }

            var ns = await controlPlane.CreateNamespaceAsync("install");
            await client.CoreV1.PatchNamespaceAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{RunLabel}\":\"{run}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);

            var (v120, _) = DeployManifests.ForV120(objects);
            mutating = KubernetesJson.Deserialize<V1MutatingWebhookConfiguration>(Loopback(v120.Single("MutatingWebhookConfiguration", "ai-gateway-models"), run, port, ca.CertificatePem).ToJsonString());
            validating = KubernetesJson.Deserialize<V1ValidatingWebhookConfiguration>(Loopback(v120.Single("ValidatingWebhookConfiguration", "ai-gateway-models"), run, port, ca.CertificatePem).ToJsonString());
            await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(mutating);
            await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(validating);

            processes.Add(Start(dir, "expander", "run",
                $"--kubeconfig={expanderConfig}", $"--namespace={DeployManifests.Namespace}", $"--watch-namespace={ns}", "--metrics-bind-address=127.0.0.1:0"));

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
            await UntilAsync(async () =>
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
            }, () => "the expander creates every rendered object; missing: " + string.Join(", ", missing) + "\n" + Log(dir, "expander"));

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
            Assert.NotEmpty(await File.ReadAllLinesAsync(Path.Combine(dir, "expander.exec-runs")));
        }
        finally
        {
            if (validating is not null)
            {
                await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(validating.Metadata.Name);
            }

            if (mutating is not null)
            {
                await client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(mutating.Metadata.Name);
            }

            foreach (var p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }

                p.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        try
        {
            await Eventually.UntilAsync(condition, Timeout, "condition");
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail(what());
        }
    }

    private static Process Start(string dir, string name, params string[] args)
    {
        var published = Environment.GetEnvironmentVariable("MODELS_PUBLISHED_DIR") is { Length: > 0 } d ? Path.Combine(d, name) : null;
        if (published is not null && !File.Exists(published))
        {
            throw new InvalidOperationException($"MODELS_PUBLISHED_DIR names no {name} binary ({published}); run hack/docker-publish.sh into it");
        }

        var start = new ProcessStartInfo(published ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false };
        if (published is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // output goes to a file through a redirect of sh, which then becomes the program: /bin/sh -c 'exec "$@" > log 2>&1'
        TestProcess.Check(start.FileName);
        var sh = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        sh.ArgumentList.Add("-c");
        sh.ArgumentList.Add($"exec \"$@\" > '{Path.Combine(dir, name + ".log")}' 2>&1");
        sh.ArgumentList.Add("sh");
        sh.ArgumentList.Add(start.FileName);
        foreach (var a in start.ArgumentList)
        {
            sh.ArgumentList.Add(a);
        }

        return TestProcess.Start(sh);
    }

    private static string Log(string dir, string name)
    {
        var path = Path.Combine(dir, name + ".log");
        return File.Exists(path) ? $"{name} log:\n" + string.Join("\n", File.ReadAllLines(path).TakeLast(40)) : $"no {name} log";
    }

    /// <summary>
    /// A kubeconfig for the control plane whose user is the service account's token (the token controller's Secret),
    /// written in it or, with <paramref name="execPlugin"/>, printed by an exec credential plugin (a shell script that
    /// also counts its runs in <c>DIR/ACCOUNT.exec-runs</c>).
    /// </summary>
    private async Task<string> ServiceAccountKubeconfigAsync(string serviceAccount, string dir, bool execPlugin = false)
    {
        string? token = null;
        await Eventually.UntilAsync(async () =>
        {
            var sa = await controlPlane.Client.CoreV1.ReadNamespacedServiceAccountAsync(serviceAccount, DeployManifests.Namespace);
            foreach (var reference in sa.Secrets ?? [])
            {
                var secret = await controlPlane.Client.CoreV1.ReadNamespacedSecretAsync(reference.Name, DeployManifests.Namespace);
                if (secret.Data?.TryGetValue("token", out var t) == true)
                {
                    token = Encoding.ASCII.GetString(t);
                    return true;
                }
            }

            return false;
        }, Timeout, $"the token controller issues a token for service account {serviceAccount}");
        var path = Path.Combine(dir, serviceAccount + ".kubeconfig");
        if (!execPlugin)
        {
            controlPlane.WriteKubeconfig(path, serviceAccount, "token: " + token);
            return path;
        }

        var script = Path.Combine(dir, serviceAccount + "-credentials.sh");
        await File.WriteAllTextAsync(script, $$$"""
            echo run >> '{{{Path.Combine(dir, serviceAccount + ".exec-runs")}}}'
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{token}}}"}}'

            """);
        controlPlane.WriteKubeconfig(path, serviceAccount, $"""
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: /bin/sh
              args: ["{script}"]
            """);
        return path;
    }

    private static JsonObject Loopback(JsonObject configuration, string run, int port, string caPem)
    {
        var o = (JsonObject)configuration.DeepClone();
        o["metadata"]!["name"] = $"ai-gateway-models-{run}";
        foreach (var webhook in o["webhooks"]!.AsArray().Select(w => w!.AsObject()))
        {
            var name = (string)webhook["name"]!;
            webhook["name"] = name.Insert(name.IndexOf('.', StringComparison.Ordinal), "." + run);
            var path = (string)webhook["clientConfig"]!["service"]!["path"]!;
            webhook["clientConfig"] = new JsonObject
            {
                ["url"] = $"https://127.0.0.1:{port}{path}",
                ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem)),
            };
            webhook["namespaceSelector"]!["matchLabels"] = new JsonObject { [RunLabel] = run };
        }

        return o;
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
