using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Cli;
using AiGatewayModels.Integration.Tests.ApiServer;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Kube;
using AiGatewayModels.TestSupport;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// <c>expander diff</c> on the real apiserver: after the expander has applied a values ConfigMap, the diff of the same
/// values is empty, an edit shows exactly the objects whose rendering changes, a removed model lists its prunes; a
/// policy that forbids the values shows the webhook's denial; an object someone else owns is a named conflict; and no
/// diff ever writes (every resourceVersion in the namespace is unchanged).
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderDiffTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Kubernetes Cluster => controlPlane.Client;

    [Fact]
    public async Task No_change_is_exit_0_an_edit_is_exactly_its_objects_a_removed_model_its_prunes_and_nothing_is_written()
    {
        var ns = await controlPlane.CreateNamespaceAsync("diff");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, "diff-test-key-do-not-print");
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        await using (var expander = RunningExpander.Start(controlPlane, ns))
        {
            await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");
        }

        var versions = await ResourceVersionsAsync(ns);
        var client = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "tests");
        var before = await ValuesFixtures.ExpectedAsync(client, cm);

        // the same values: nothing to show
        var same = Diff(ns, ValuesFixtures.Values());
        Assert.True(same.ExitCode == 0, same.Stderr + same.Stdout);
        Assert.Equal(string.Empty, same.Stdout);
        Assert.Matches(@"AIGatewayRoute: 0 to create, 0 to update, 0 to prune, 0 in conflict, [1-9]\d* unchanged", same.Stderr);
        Assert.Contains($"secret: Secret azure-apikey (projected from Secret {ValuesFixtures.AzureSecret}, key {ValuesFixtures.AzureKey})", same.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("diff-test-key", same.Stdout + same.Stderr, StringComparison.Ordinal);

        // an edited weight: a diff for exactly the objects whose rendering changes, the route among them
        var edited = ValuesFixtures.Values(gpt4oWeight: 60);
        var changed = Changed(before, await ExpectedAsync(client, cm, edited));
        Assert.Contains("AIGatewayRoute/", string.Join(' ', changed), StringComparison.Ordinal);
        var edit = Diff(ns, edited);
        Assert.True(edit.ExitCode == 1, edit.Stderr);
        Assert.Equal(changed, Headers(edit.Stdout));
        Assert.Matches(@"(?m)^-\s+weight: 80$", edit.Stdout);
        Assert.Matches(@"(?m)^\+\s+weight: 60$", edit.Stdout);
        Assert.DoesNotContain("managedFields", edit.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", edit.Stdout, StringComparison.Ordinal);

        // a removed model: its objects are listed as prunes
        var removed = ValuesFixtures.Values(includeMini: false);
        var after = await ExpectedAsync(client, cm, removed);
        var prunes = before.Select(o => $"{o.Kind.Kind} {o.Name}").Except(after.Select(o => $"{o.Kind.Kind} {o.Name}")).ToList();
        Assert.NotEmpty(prunes);
        var prune = Diff(ns, removed);
        Assert.True(prune.ExitCode == 1, prune.Stderr);
        foreach (var p in prunes)
        {
            Assert.Contains($"prune: {p} is no longer desired", prune.Stderr, StringComparison.Ordinal);
        }

        // -o json, for pipelines
        var json = Diff(ns, edited, "-o", "json");
        Assert.Equal(1, json.ExitCode);
        var report = JsonNode.Parse(json.Stdout)!;
        Assert.True(report["differences"]!.GetValue<bool>());
        Assert.Equal(changed, report["objects"]!.AsArray().Where(o => o!["change"]!.GetValue<string>() == "update").Select(o => $"{o!["kind"]}/{o["name"]}").Order(StringComparer.Ordinal).ToList());

        // nothing was written by any of them
        Assert.Equal(versions, await ResourceVersionsAsync(ns));
    }

    [Fact]
    public async Task A_policy_that_forbids_the_values_shows_the_webhooks_denial_and_an_object_owned_by_someone_else_is_a_named_conflict()
    {
        var webhookNs = await controlPlane.CreateNamespaceAsync("diff-webhook-home");
        var ns = await controlPlane.CreateNamespaceAsync("diff-policy");
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, webhookNs);
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);
        await Cluster.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "ai-gateway-models-policy" },
            Data = new Dictionary<string, string> { [PolicyReader.DataKey] = "minBackendsPerModel: 3\n" },
        }, webhookNs);
        await Eventually.UntilAsync(async () => (await webhook.GetTextAsync("/readyz")).Contains("(resourceVersion ", StringComparison.Ordinal), Timeout, "the webhook follows the policy");

        // someone else's Backend under a name the values want
        await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync(
            new JsonObject
            {
                ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1",
                ["kind"] = "Backend",
                ["metadata"] = new JsonObject { ["name"] = "openai" },
                ["spec"] = new JsonObject { ["endpoints"] = new JsonArray(new JsonObject { ["fqdn"] = new JsonObject { ["hostname"] = "example.com", ["port"] = 443 } }) },
            },
            "gateway.envoyproxy.io", "v1alpha1", ns, "backends");
        var versions = await ResourceVersionsAsync(ns);

        var denied = DiffWithPolicy(ns, webhookNs, ValuesFixtures.Values());
        Assert.Equal(2, denied.ExitCode);
        Assert.Contains($"admission webhook \"{webhook.ValuesWebhookName}\" denied the request", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("at least 3 are required", denied.Stderr, StringComparison.Ordinal);

        // back to the default policy: the values pass, and the Backend is the conflict
        await Cluster.CoreV1.DeleteNamespacedConfigMapAsync("ai-gateway-models-policy", webhookNs);
        await Eventually.UntilAsync(async () => (await webhook.GetTextAsync("/readyz")).Contains("default policy", StringComparison.Ordinal), Timeout, "the default policy again");
        var conflict = DiffWithPolicy(ns, webhookNs, ValuesFixtures.Values());
        Assert.True(conflict.ExitCode == 1, conflict.Stderr);
        Assert.Contains("conflict: Backend openai exists and is not created by this ConfigMap; the expander leaves it untouched", conflict.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"Backend: \d+ to create, 0 to update, 0 to prune, 1 in conflict", conflict.Stderr);

        Assert.Equal(versions, await ResourceVersionsAsync(ns));
    }

    [Fact]
    public async Task A_Secret_the_expander_may_not_use_withholds_its_BackendSecurityPolicy_in_the_diff_as_in_a_reconcile()
    {
        var ns = await controlPlane.CreateNamespaceAsync("diff-secret-use");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, "diff-withheld-key-do-not-print");
        // the OpenAI Secret loses its opt-in label: the expander may not use it (SecretUseRules), so it withholds the policy
        var openAi = await Cluster.CoreV1.ReadNamespacedSecretAsync(ValuesFixtures.OpenAiSecret, ns);
        openAi.Metadata.Labels = new Dictionary<string, string>();
        await Cluster.CoreV1.ReplaceNamespacedSecretAsync(openAi, ValuesFixtures.OpenAiSecret, ns);

        var model = ValuesEvaluator.Evaluate(new Engine.Input.ValuesDocument(ns, ValuesFixtures.Name, ValuesFixtures.Values())).Model!;
        var openAiBackend = model.Backends.Single(b => b.Key == model.Secrets.Single(s => s.Name == ValuesFixtures.OpenAiSecret).BackendKey);
        var withheld = ObjectNames.SecurityPolicy(openAiBackend);
        var policies = model.Backends.Select(ObjectNames.SecurityPolicy).Distinct(StringComparer.Ordinal).Count();
        Assert.True(policies >= 2, $"{policies} BackendSecurityPolicies: the case needs one withheld and one applied");

        var result = Diff(ns, ValuesFixtures.Values());
        Assert.True(result.ExitCode == 1, result.Stderr);
        Assert.Contains($"the expander withholds BackendSecurityPolicy {withheld} until it can be used", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Secret {ValuesFixtures.OpenAiSecret} (", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain($"desired/BackendSecurityPolicy/{withheld}", result.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"BackendSecurityPolicy: {policies - 1} to create, 0 to update, 0 to prune", result.Stderr);
        Assert.DoesNotContain("diff-withheld-key", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    private (int ExitCode, string Stdout, string Stderr) Diff(string ns, string values, params string[] extra) => DiffWithPolicy(ns, ns, values, extra);

    /// <summary>The CLI in-process on a ConfigMap manifest of <paramref name="values"/>; the cluster's policy read from <paramref name="policyNs"/>.</summary>
    private (int ExitCode, string Stdout, string Stderr) DiffWithPolicy(string ns, string policyNs, string values, params string[] extra)
    {
        var file = Path.Combine(Path.GetTempPath(), $"diff-{Guid.NewGuid():N}.yaml");
        var manifest = new System.Text.StringBuilder()
            .Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").Append(ValuesFixtures.Name).Append("\n  namespace: ").Append(ns)
            .Append("\n  annotations:\n    models.ai-gateway.io/values: \"true\"\ndata:\n  values.yaml: |\n")
            .Append(string.Concat(values.Split('\n').Select(l => "    " + l + "\n")));
        File.WriteAllText(file, manifest.ToString());
        try
        {
            using var stdout = new StringWriter { NewLine = "\n" };
            using var stderr = new StringWriter { NewLine = "\n" };
            var code = CommandLine.Run(["diff", "-f", file, "--kubeconfig", controlPlane.KubeconfigPath, "--policy-namespace", policyNs, .. extra], TextReader.Null, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<IReadOnlyList<RenderedObject>> ExpectedAsync(KubeClient client, V1ConfigMap live, string values)
    {
        var copy = new V1ConfigMap { Metadata = live.Metadata, Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values } };
        return await ValuesFixtures.ExpectedAsync(client, copy);
    }

    /// <summary>Kind/name of each object whose rendered manifest differs between the two renderings (both exist).</summary>
    private static List<string> Changed(IReadOnlyList<RenderedObject> before, IReadOnlyList<RenderedObject> after) =>
        [.. after.Where(a => before.FirstOrDefault(b => b.Kind == a.Kind && b.Name == a.Name) is { } b && b.Manifest.ToJsonString() != a.Manifest.ToJsonString())
            .Select(a => $"{a.Kind.Kind}/{a.Name}").Order(StringComparer.Ordinal)];

    private static List<string> Headers(string diff) =>
        [.. diff.Split('\n').Where(l => l.StartsWith("+++ desired/", StringComparison.Ordinal)).Select(l => l["+++ desired/".Length..]).Order(StringComparer.Ordinal)];

    /// <summary>Kind/name=resourceVersion of every object of our kinds and every ConfigMap in the namespace.</summary>
    private async Task<List<string>> ResourceVersionsAsync(string ns)
    {
        using var client = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "tests");
        using var discovery = new global::AiGatewayModels.Expander.Controller.ApiDiscovery(client);
        var selection = ApiVersionSelection.From(await discovery.ServedAsync(default), unmentionedAreServed: false);
        var versions = new List<string>();
        foreach (var (kind, apiVersion) in ResourceKind.All.Where(k => selection.For(k) is not null).Select(k => (k.Kind, selection.For(k)!))
            .Append(("ConfigMap", "v1")))
        {
            var plural = kind == "ConfigMap" ? "configmaps" : ResourceKind.All.Single(k => k.Kind == kind).Plural;
            var list = await client.ListAsync(ApiResource.Of(apiVersion, plural), ns, null, null, default);
            versions.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => $"{kind}/{i.Name()}={i.ResourceVersion()}"));
        }

        return [.. versions.Order(StringComparer.Ordinal)];
    }
}
