using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport.Processes;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// The install, for real, on the test control plane: the RBAC, namespace and policy of <c>deploy/manifests</c> applied;
/// the webhook and the expander run as processes with the tokens of their own service accounts, so they have exactly
/// the manifests' RBAC; the manifests' webhook configurations (every webhook) registered with these rewrites:
/// clientConfig → <c>url</c> on loopback + caBundle (a Service cannot be routed without nodes), webhook and
/// configuration names suffixed with this run, the namespaceSelector narrowed to namespaces labelled for this run
/// (one shared control plane), matchConditions removed (v1.20). The expander watches the one namespace it is given.
/// The programs are the Native AOT binaries of the image when <c>MODELS_PUBLISHED_DIR</c> names them (CI publishes them
/// first with hack/docker-publish.sh, so the binaries that ship are the ones proven here), else the test output's
/// webhook.dll and expander.dll. Dispose unregisters the configurations and stops both processes.
/// </summary>
internal sealed class InstalledModels : IAsyncDisposable
{
    public const string RunLabel = "integration.test/install-run";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly ControlPlaneFixture controlPlane;
    private readonly List<Process> processes = [];
    private V1ValidatingWebhookConfiguration? validating;
    private V1MutatingWebhookConfiguration? mutating;

    private InstalledModels(ControlPlaneFixture controlPlane, string dir)
    {
        this.controlPlane = controlPlane;
        Dir = dir;
        Run = Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>Suffix of the webhooks' names, and the value of <see cref="RunLabel"/> on the namespaces in scope.</summary>
    public string Run { get; }

    /// <summary>Logs (webhook.log, expander.log), kubeconfigs and certificates.</summary>
    public string Dir { get; }

    /// <summary>
    /// Applies the manifests, starts the webhook (ready: it has listed ConfigMaps with its own service account), puts
    /// <paramref name="ns"/> in scope, registers every webhook and starts the expander watching <paramref name="ns"/>.
    /// </summary>
    /// <param name="expanderExecPlugin">the expander gets its token from an exec credential plugin, as on EKS, GKE or AKS.</param>
    public static async Task<InstalledModels> StartAsync(ControlPlaneFixture controlPlane, string ns, bool expanderExecPlugin = false)
    {
        ArgumentNullException.ThrowIfNull(controlPlane);
        var install = new InstalledModels(controlPlane, Directory.CreateTempSubdirectory("install-e2e-").FullName);
        try
        {
            await install.StartAsync(ns, expanderExecPlugin);
            return install;
        }
        catch
        {
            await install.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(string ns, bool expanderExecPlugin)
    {
        var client = controlPlane.Client;
        var kubeconfig = controlPlane.KubeconfigPath;
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        string[] realKinds = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap"];
        var (applyCode, applyOut, applyErr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--field-manager=deploy-test", "-f", "-"], DeployManifests.AsList(objects.Where(o => realKinds.Contains(o.Kind()))), kubeconfig);
        Assert.True(applyCode == 0, applyErr + applyOut);

        var webhookConfig = await ServiceAccountKubeconfigAsync("webhook");
        var expanderConfig = await ServiceAccountKubeconfigAsync("expander", expanderExecPlugin);
        using var ca = TestCertificateAuthority.Create("install-e2e-ca");
        var serving = ca.IssueLoopbackServingCertificate();
        await File.WriteAllTextAsync(Path.Combine(Dir, "tls.crt"), serving.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(Dir, "tls.key"), serving.PrivateKeyPem);
        var port = FreePorts.Take(1)[0];
        processes.Add(Start("webhook",
            $"--urls=https://127.0.0.1:{port}", $"--tls-cert-file={Dir}/tls.crt", $"--tls-key-file={Dir}/tls.key",
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
            }, () => "the webhook process is ready (it lists ConfigMaps with its own service account)\n" + Log("webhook"));
        }

        await client.CoreV1.PatchNamespaceAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{RunLabel}\":\"{Run}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);
        var (v120, _) = DeployManifests.ForV120(objects);
        mutating = KubernetesJson.Deserialize<V1MutatingWebhookConfiguration>(Loopback(v120.Single("MutatingWebhookConfiguration", "ai-gateway-models"), port, ca.CertificatePem).ToJsonString());
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(mutating);
        validating = KubernetesJson.Deserialize<V1ValidatingWebhookConfiguration>(Loopback(v120.Single("ValidatingWebhookConfiguration", "ai-gateway-models"), port, ca.CertificatePem).ToJsonString());
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(validating);

        processes.Add(Start("expander", "run",
            $"--kubeconfig={expanderConfig}", $"--namespace={DeployManifests.Namespace}", $"--watch-namespace={ns}", "--metrics-bind-address=127.0.0.1:0"));
    }

    /// <summary>The last lines of a process's log (webhook or expander), for failure messages.</summary>
    public string Log(string name)
    {
        var path = Path.Combine(Dir, name + ".log");
        return File.Exists(path) ? $"{name} log:\n" + string.Join("\n", File.ReadAllLines(path).TakeLast(40)) : $"no {name} log";
    }

    /// <summary>Waits for <paramref name="condition"/>; on timeout fails with <paramref name="what"/> (which may read the logs).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
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

    /// <summary>Waits for <paramref name="read"/> to return a value; on timeout fails with <paramref name="what"/>.</summary>
    public static async Task<T> UntilValueAsync<T>(Func<Task<T?>> read, Func<string> what)
        where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await read()) is not null, what);
        return value!;
    }

    public async ValueTask DisposeAsync()
    {
        var client = controlPlane.Client;
        try
        {
            if (validating is not null)
            {
                await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(validating.Metadata.Name);
            }

            if (mutating is not null)
            {
                await client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(mutating.Metadata.Name);
            }
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }

                p.Dispose();
            }

            Directory.Delete(Dir, recursive: true);
        }
    }

    private Process Start(string name, params string[] args)
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
        sh.ArgumentList.Add($"exec \"$@\" > '{Path.Combine(Dir, name + ".log")}' 2>&1");
        sh.ArgumentList.Add("sh");
        sh.ArgumentList.Add(start.FileName);
        foreach (var a in start.ArgumentList)
        {
            sh.ArgumentList.Add(a);
        }

        return TestProcess.Start(sh);
    }

    /// <summary>
    /// A kubeconfig for the control plane whose user is the service account's token (the token controller's Secret),
    /// written in it or, with <paramref name="execPlugin"/>, printed by an exec credential plugin (a shell script that
    /// also counts its runs in <c>DIR/ACCOUNT.exec-runs</c>).
    /// </summary>
    private async Task<string> ServiceAccountKubeconfigAsync(string serviceAccount, bool execPlugin = false)
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
        var path = Path.Combine(Dir, serviceAccount + ".kubeconfig");
        if (!execPlugin)
        {
            controlPlane.WriteKubeconfig(path, serviceAccount, "token: " + token);
            return path;
        }

        var script = Path.Combine(Dir, serviceAccount + "-credentials.sh");
        await File.WriteAllTextAsync(script, $$$"""
            echo run >> '{{{Path.Combine(Dir, serviceAccount + ".exec-runs")}}}'
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

    private JsonObject Loopback(JsonObject configuration, int port, string caPem)
    {
        var o = (JsonObject)configuration.DeepClone();
        o["metadata"]!["name"] = $"ai-gateway-models-{Run}";
        foreach (var webhook in o["webhooks"]!.AsArray().Select(w => w!.AsObject()))
        {
            var name = (string)webhook["name"]!;
            webhook["name"] = name.Insert(name.IndexOf('.', StringComparison.Ordinal), "." + Run);
            var path = (string)webhook["clientConfig"]!["service"]!["path"]!;
            webhook["clientConfig"] = new JsonObject
            {
                ["url"] = $"https://127.0.0.1:{port}{path}",
                ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem)),
            };
            webhook["namespaceSelector"]!["matchLabels"] = new JsonObject { [RunLabel] = Run };
        }

        return o;
    }
}
