using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Kube;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// <c>expander run</c> on the real apiserver with the garbage collector: each scenario in its own namespace, with its
/// own controller instance (scoped to that namespace) that is stopped at the end.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderScenarioTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string SecretValue = "azure-test-key-0001-do-not-print";

    private Kubernetes Cluster => controlPlane.Client;

    [Fact]
    public async Task Creating_values_applies_every_object_the_engine_renders_owned_by_the_ConfigMap()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-create");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        Assert.Equal(12, expected.Count);

        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "every rendered object exists and matches");
        var projected = await Cluster.CoreV1.ReadNamespacedSecretAsync("azure-apikey", ns);
        Assert.Equal(SecretValue, Encoding.UTF8.GetString(projected.Data["apiKey"]));
        Assert.Contains(projected.Metadata.OwnerReferences, r => r.Uid == cm.Metadata.Uid && r.Controller == true && r.BlockOwnerDeletion == true);
        foreach (var o in expected)
        {
            var live = await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default);
            Assert.Contains("\"manager\":\"ai-gateway-models\"", live!.ToJsonString(), StringComparison.Ordinal);
        }

        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");
        var status = (await ValuesFixtures.StatusAsync(Cluster, ns))!;
        var hash = ValuesEvaluator.Evaluate(new ValuesDocument(ns, ValuesFixtures.Name, ValuesFixtures.Values())).ValuesHash;
        Assert.Equal(hash, status["observedValuesHash"]!.GetValue<string>());
        Assert.Equal(13, status["objects"]!["desired"]!.GetValue<int>());
        Assert.Equal(13, status["objects"]!["inSync"]!.GetValue<int>());
        Assert.NotEmpty(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Applied));

        Assert.Equal("ok\n", await expander.HealthAsync());
        var metrics = await expander.MetricsAsync();
        Assert.True(metrics.Contains("expander_objects_applied_total 13\n", StringComparison.Ordinal), metrics + expander.Log);
        Assert.Contains("expander_reconcile_duration_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("expander_leader 1", metrics, StringComparison.Ordinal);
        await AssertNoSecretValueAsync(expander, ns, SecretValue);
    }

    [Fact]
    public async Task Editing_values_updates_changed_objects_and_prunes_removed_ones()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-edit");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var before = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, before, ns), Timeout, "the first version is applied");

        var edited = ValuesFixtures.Values(gpt4oWeight: 60, includeMini: false, rateLimiting: false);
        await ValuesFixtures.UpdateValuesAsync(Cluster, ns, edited);
        cm.Data[WellKnown.ValuesDataKey] = edited;
        var after = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        Assert.DoesNotContain(after, o => o.Kind == ResourceKind.RateLimitPolicy);
        Assert.DoesNotContain(after, o => o.Name == "gpt-4o-mini");

        var gone = before.Where(b => !after.Any(a => a.Kind == b.Kind && a.Name == b.Name)).ToList();
        Assert.Equal(3, gone.Count); // the mini route and both RateLimitPolicies
        await Eventually.UntilAsync(async () =>
        {
            foreach (var o in gone)
            {
                if (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default) is not null)
                {
                    return false;
                }
            }

            return await ValuesFixtures.AllMatchAsync(expander.Client, after, ns);
        }, Timeout, "the weight is updated, and the removed model's route and the RateLimitPolicies are pruned");
        var route = await expander.Client.GetAsync(ValuesFixtures.RefOf(after.Single(o => o.Name == "gpt-4o"), ns), default);
        Assert.Contains("60", route!["spec"]!.ToJsonString(), StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Pruned)).Count > 0, Timeout, "a Pruned Event");
    }

    /// <summary>
    /// The first release named a model's BackendTrafficPolicy <c>&lt;model&gt;-failover</c>; now it is
    /// <c>&lt;model&gt;-traffic</c>. The expander applies the new one and only then prunes the old one (it owns it), so the
    /// route always has one: Envoy Gateway keeps enforcing the older policy while both exist.
    /// </summary>
    [Fact]
    public async Task The_first_release_s_failover_policy_moves_to_the_traffic_policy_and_is_pruned_only_after_it_is_applied()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-migrate");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values(fallback: true));
        var legacyName = ObjectNames.LegacyFailoverPolicy("gpt-4o");
        var legacy = new JsonObject
        {
            ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1",
            ["kind"] = "BackendTrafficPolicy",
            ["metadata"] = new JsonObject
            {
                ["name"] = legacyName,
                ["labels"] = new JsonObject { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue, [WellKnown.SourceLabel] = ValuesFixtures.Name },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = ValuesFixtures.Name, ["uid"] = cm.Metadata.Uid, ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["targetRefs"] = new JsonArray(new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = "HTTPRoute", ["name"] = "gpt-4o" }),
                ["retry"] = new JsonObject
                {
                    ["numAttemptsPerPriority"] = 1,
                    ["numRetries"] = 1,
                    ["retryOn"] = new JsonObject { ["httpStatusCodes"] = new JsonArray(429, 500, 502, 503, 504), ["triggers"] = new JsonArray("connect-failure", "retriable-status-codes", "reset") },
                },
            },
        };
        await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync(legacy, "gateway.envoyproxy.io", "v1alpha1", ns, "backendtrafficpolicies", fieldManager: WellKnown.ManagedByValue);

        // every change to the namespace's BackendTrafficPolicies, in the apiserver's order, from before the expander starts
        using var probe = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "ai-gateway-models-tests");
        var policies = new ApiResource("gateway.envoyproxy.io", "v1alpha1", "backendtrafficpolicies");
        var start = (string)(await probe.ListAsync(policies, ns, null, null, default))["metadata"]!["resourceVersion"]!;
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Type, string Name)>();
        using var stopWatch = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in probe.WatchAsync(policies, ns, null, null, start, 120, stopWatch.Token))
                {
                    seen.Enqueue((e.Type, e.Item.Name() ?? string.Empty));
                }
            }
            catch (OperationCanceledException)
            {
                // the test is done
            }
        });

        await using var expander = RunningExpander.Start(controlPlane, ns);
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        var traffic = expected.Single(o => o.Kind == ResourceKind.BackendTrafficPolicy);
        Assert.Equal(ObjectNames.TrafficPolicy("gpt-4o"), traffic.Name);
        await Eventually.UntilAsync(async () => seen.Contains(("DELETED", legacyName)) && await ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout,
            "the traffic policy is applied and the failover policy pruned");
        await stopWatch.CancelAsync();
        await watching;

        var events = seen.ToList();
        var applied = events.FindIndex(e => e is ("ADDED", _) && e.Name == traffic.Name);
        var pruned = events.FindIndex(e => e is ("DELETED", _) && e.Name == legacyName);
        Assert.True(applied >= 0 && applied < pruned, "the old policy was deleted before the new one existed: " + string.Join(", ", events));
        Assert.Contains("\"numRetries\":1", traffic.Manifest["spec"]!["retry"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(429L, traffic.Manifest["spec"]!["retry"]!["retryOn"]!["httpStatusCodes"]!.AsArray().Select(c => (long)c!));
        Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(ResourceKind.BackendTrafficPolicy, traffic.ApiVersion, ns, legacyName), default));
        var prunedEvent = Assert.Single(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Pruned));
        Assert.Contains($"BackendTrafficPolicy {legacyName}", prunedEvent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_ConfigMap_garbage_collects_everything_it_owned()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-gc");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "applied");
        Assert.NotNull(await expander.Client.GetAsync(ValuesFixtures.SecretRef(ns, "azure-apikey"), default));

        await Cluster.CoreV1.DeleteNamespacedConfigMapAsync(ValuesFixtures.Name, ns);

        await Eventually.UntilAsync(async () =>
        {
            foreach (var o in expected)
            {
                if (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default) is not null)
                {
                    return false;
                }
            }

            return await expander.Client.GetAsync(ValuesFixtures.SecretRef(ns, "azure-apikey"), default) is null;
        }, TimeSpan.FromSeconds(90), "the garbage collector deletes every generated object and the projected Secret");
        Assert.NotNull(await expander.Client.GetAsync(ValuesFixtures.SecretRef(ns, ValuesFixtures.AzureSecret), default));
    }

    [Fact]
    public async Task A_generated_object_edited_by_hand_is_restored_and_a_deleted_one_recreated()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-drift");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "applied");

        // a hand edit by another field manager (like kubectl edit): the Backend's hostname
        var backend = expected.Single(o => o.Kind == ResourceKind.Backend && o.Name == "openai");
        var path = ValuesFixtures.RefOf(backend, ns);
        var live = (await expander.Client.GetAsync(path, default))!;
        live["spec"]!["endpoints"]![0]!["fqdn"]!["hostname"] = "evil.example.com";
        await Cluster.CustomObjects.ReplaceNamespacedCustomObjectAsync(live, "gateway.envoyproxy.io", "v1alpha1", ns, "backends", "openai", fieldManager: "kubectl-edit");
        await Eventually.UntilAsync(async () =>
        {
            var now = await expander.Client.GetAsync(path, default);
            return now is not null && DesiredObject.Contains(now, backend.Manifest);
        }, Timeout, "the hand-edited Backend is restored");

        var route = expected.Single(o => o.Kind == ResourceKind.AIGatewayRoute && o.Name == "gpt-4o");
        var routePath = ValuesFixtures.RefOf(route, ns);
        var uid = (await expander.Client.GetAsync(routePath, default))!.Uid();
        await Cluster.CustomObjects.DeleteNamespacedCustomObjectAsync(routePath.Resource.Group, routePath.Resource.Version, ns, "aigatewayroutes", "gpt-4o");
        await Eventually.UntilAsync(async () =>
        {
            var now = await expander.Client.GetAsync(routePath, default);
            return now is not null && now.Uid() != uid && DesiredObject.Contains(now, route.Manifest);
        }, Timeout, "the deleted AIGatewayRoute is recreated");
    }

    [Fact]
    public async Task An_unowned_object_with_a_desired_name_is_left_untouched_and_reported_as_a_Conflict()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-conflict");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        var foreign = new JsonObject
        {
            ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1",
            ["kind"] = "Backend",
            ["metadata"] = new JsonObject { ["name"] = "openai", ["labels"] = new JsonObject { ["owner"] = "someone-else" } },
            ["spec"] = new JsonObject
            {
                ["endpoints"] = new JsonArray(new JsonObject { ["fqdn"] = new JsonObject { ["hostname"] = "other.example.com", ["port"] = 8443 } }),
            },
        };
        await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync(foreign, "gateway.envoyproxy.io", "v1alpha1", ns, "backends");
        var path = ValuesFixtures.RefOf(ResourceKind.Backend, "gateway.envoyproxy.io/v1alpha1", ns, "openai");
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var before = (await expander.Client.GetAsync(path, default))!;

        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Conflict)).Count > 0, Timeout, "a Conflict Event");
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        var others = expected.Where(o => !(o.Kind == ResourceKind.Backend && o.Name == "openai")).ToList();
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, others, ns), Timeout, "every other object is applied");

        var after = (await expander.Client.GetAsync(path, default))!;
        Assert.Equal(before.ResourceVersion(), after.ResourceVersion());
        Assert.Null(after.ControllerConfigMapUid());
        Assert.Equal("other.example.com", after["spec"]!["endpoints"]![0]!["fqdn"]!["hostname"]!.GetValue<string>());
        var conflict = (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Conflict))[0];
        Assert.Contains("Backend openai", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("Warning", conflict.Type);
        var status = (await ValuesFixtures.StatusAsync(Cluster, ns))!;
        Assert.False(status["ready"]!.GetValue<bool>());
        Assert.Equal(1, status["objects"]!["conflicts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rotating_the_source_Secret_updates_the_projected_Secret_promptly()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-rotate");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        // a resync far beyond the test's bounds: only the watch of the source Secret can bring the rotation
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { ResyncPeriod = TimeSpan.FromMinutes(10) });
        await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        await Eventually.UntilAsync(async () => await ProjectedValueAsync(ns) == SecretValue, Timeout, "the projected Secret");
        // one watch per Secret the values name: the projection source and the Secret AI Gateway reads as it is
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_source_secret_watches 2\n", StringComparison.Ordinal), Timeout, "two named Secrets watched");

        for (var i = 2; i <= 3; i++)
        {
            var rotated = $"azure-test-key-000{i}-rotated";
            var source = await Cluster.CoreV1.ReadNamespacedSecretAsync(ValuesFixtures.AzureSecret, ns);
            source.Data[ValuesFixtures.AzureKey] = Encoding.UTF8.GetBytes(rotated);
            await Cluster.CoreV1.ReplaceNamespacedSecretAsync(source, ValuesFixtures.AzureSecret, ns);
            // bounded by 15 s while the resync is 10 min: only the source Secret's watch can deliver this
            await Eventually.UntilAsync(async () => await ProjectedValueAsync(ns) == rotated, TimeSpan.FromSeconds(15), "the projected Secret carries the rotated key (resync: 10 min)");
            await AssertNoSecretValueAsync(expander, ns, rotated);
        }

        await AssertNoSecretValueAsync(expander, ns, SecretValue);

        // values that no longer name the source (azure now reads the OpenAI Secret): its watch stops, the other stays
        await ValuesFixtures.UpdateValuesAsync(Cluster, ns, ValuesFixtures.Values()
            .Edit(ValuesFixtures.AzureKey, "apiKey").Edit(ValuesFixtures.AzureSecret, ValuesFixtures.OpenAiSecret));
        await Eventually.UntilAsync(async () => (await expander.MetricsAsync()).Contains("expander_source_secret_watches 1\n", StringComparison.Ordinal), Timeout, "one named Secret watched");
    }

    [Fact]
    public async Task A_missing_source_Secret_is_reported_and_the_projection_appears_once_it_exists()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-nosecret");
        await ValuesFixtures.CreateOpenAiSecretAsync(Cluster, ns);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.SecretMissing)).Count > 0, Timeout, "a SecretMissing Event");
        var missing = Assert.Single(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.SecretMissing));
        Assert.StartsWith($"Secret {ValuesFixtures.AzureSecret} (backends.azure.apiKeySecretRef) cannot be used: it does not exist, has no data key {ValuesFixtures.AzureKey}, is not labelled {WellKnown.CredentialLabel}=true or is a service-account token", missing.Message, StringComparison.Ordinal);
        Assert.Null(await expander.Client.GetAsync(ValuesFixtures.SecretRef(ns, "azure-apikey"), default));
        // the Event and the status annotation are two writes: wait for the second instead of racing it
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == false, Timeout, "status not ready while the Secret is missing");

        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = ValuesFixtures.AzureSecret, Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { [ValuesFixtures.AzureKey] = Encoding.UTF8.GetBytes(SecretValue) },
        }, ns);
        await Eventually.UntilAsync(async () => await ProjectedValueAsync(ns) == SecretValue, Timeout, "the projected Secret, after the retry");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");
    }

    /// <summary>
    /// The expander acts for the ConfigMap's author even when the webhook was not in the path: a Secret without the opt-in
    /// label is neither copied nor named by a BackendSecurityPolicy, a service-account token never is (labelled or not),
    /// and the report reads the same as for a Secret that does not exist.
    /// </summary>
    [Fact]
    public async Task A_Secret_without_the_credential_label_or_a_service_account_token_is_never_used()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-unlabelled");
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = ValuesFixtures.OpenAiSecret },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes(SecretValue) },
        }, ns);
        await Cluster.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "platform" } }, ns);
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "platform-token", Labels = NamedSecrets.CredentialLabels,
                Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "platform" },
            },
            Type = "kubernetes.io/service-account-token",
        }, ns);
        string? token = null;
        await Eventually.UntilAsync(async () => (await Cluster.CoreV1.ReadNamespacedSecretAsync("platform-token", ns)).Data?.TryGetValue("token", out var t) == true && (token = Encoding.UTF8.GetString(t)).Length > 0,
            Timeout, "the token controller fills the service-account token");
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var values = ValuesFixtures.Values().Edit(ValuesFixtures.AzureKey, "token").Edit(ValuesFixtures.AzureSecret, "platform-token");
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, values);
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        var policies = expected.Where(o => o.Kind == ResourceKind.BackendSecurityPolicy).ToList();
        Assert.Equal(["azure-apikey", "openai-apikey"], policies.Select(p => p.Name).Order(StringComparer.Ordinal));

        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, [.. expected.Where(o => !policies.Contains(o))], ns), Timeout, "every object but the two policies");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["objects"]?["missingSecrets"]?.GetValue<int>() == 2, Timeout, "two unusable Secrets in the status");
        Assert.False((await ValuesFixtures.StatusAsync(Cluster, ns))!["ready"]!.GetValue<bool>());
        foreach (var p in policies)
        {
            Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(p, ns), default));
        }

        Assert.False(await ApiErrors.ExistsAsync(() => Cluster.CoreV1.ReadNamespacedSecretAsync("azure-apikey", ns)));
        var events = (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.SecretMissing)).Select(e => e.Message).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, events.Count);
        Assert.StartsWith($"Secret {ValuesFixtures.OpenAiSecret} (backends.openai.apiKeySecretRef) cannot be used: it does not exist, has no data key apiKey, is not labelled", events[0], StringComparison.Ordinal);
        Assert.StartsWith("Secret platform-token (backends.azure.apiKeySecretRef) cannot be used: it does not exist, has no data key token, is not labelled", events[1], StringComparison.Ordinal);

        // the team labels its own Secret: that policy is applied; the token stays unusable
        var openai = await Cluster.CoreV1.ReadNamespacedSecretAsync(ValuesFixtures.OpenAiSecret, ns);
        openai.Metadata.Labels = NamedSecrets.CredentialLabels;
        await Cluster.CoreV1.ReplaceNamespacedSecretAsync(openai, ValuesFixtures.OpenAiSecret, ns);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, [.. expected.Where(o => o.Name != "azure-apikey" || o.Kind != ResourceKind.BackendSecurityPolicy)], ns), Timeout, "openai's policy once its Secret is labelled");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["objects"]?["missingSecrets"]?.GetValue<int>() == 1, Timeout, "one unusable Secret left");
        Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(policies.Single(p => p.Name == "azure-apikey"), ns), default));
        Assert.False(await ApiErrors.ExistsAsync(() => Cluster.CoreV1.ReadNamespacedSecretAsync("azure-apikey", ns)));
        await AssertNoSecretValueAsync(expander, ns, token!);
        await AssertNoSecretValueAsync(expander, ns, SecretValue);
    }

    [Fact]
    public async Task Cloud_credentials_are_projected_under_the_key_AI_Gateway_reads_and_a_missing_Secret_they_name_is_reported_until_it_exists()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-cloud");
        const string AwsFile = "[bedrock]\naws_access_key_id = AKIDEXAMPLEONLY\naws_secret_access_key = cloud-test-secret-do-not-print\n";
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "team-cloud-keys", Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { ["aws-credentials-file"] = Encoding.UTF8.GetBytes(AwsFile) },
        }, ns);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, CloudValues);
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);

        // azure's Secret is missing: its BackendSecurityPolicy is withheld (it would name a Secret that cannot be used yet)
        var withheld = expected.Single(o => o.Kind == ResourceKind.BackendSecurityPolicy && o.Name == "azure-credentials");
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, [.. expected.Where(o => o != withheld)], ns), Timeout, "every other rendered object, bedrock's policy included");
        Assert.Null(await expander.Client.GetAsync(ValuesFixtures.RefOf(withheld, ns), default));

        // the user's key aws-credentials-file becomes data key "credentials" of bedrock-aws-credentials, which the policy names
        await Eventually.UntilAsync(async () => await ApiErrors.ExistsAsync(() => Cluster.CoreV1.ReadNamespacedSecretAsync("bedrock-aws-credentials", ns)), Timeout, "the projected Secret");
        var projected = await Cluster.CoreV1.ReadNamespacedSecretAsync("bedrock-aws-credentials", ns);
        Assert.Equal(["credentials"], projected.Data.Keys);
        Assert.Equal(AwsFile, Encoding.UTF8.GetString(projected.Data["credentials"]));
        var policy = expected.Single(o => o.Name == "bedrock-credentials").Manifest;
        Assert.Equal("bedrock-aws-credentials", (string)policy["spec"]!["awsCredentials"]!["credentialsFile"]!["secretRef"]!["name"]!);

        // Azure's client secret is read as it is; missing, it is reported by name and field, and the status is not ready
        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.SecretMissing)).Count > 0, Timeout, "a SecretMissing Event");
        var missing = Assert.Single(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.SecretMissing));
        Assert.StartsWith("Secret azure-entra (backends.azure.azureCredentials.clientSecretRef) cannot be used", missing.Message, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["objects"]?["missingSecrets"]?.GetValue<int>() == 1, Timeout, "one missing Secret in the status");
        Assert.False((await ValuesFixtures.StatusAsync(Cluster, ns))!["ready"]!.GetValue<bool>());

        // created under a wrong key first: still reported, with the one message for every reason (others read the status
        // and the Events); the watch of that Secret brings a reconcile, which still finds it unusable
        var reconciles = ReconcileCount(await expander.MetricsAsync());
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "azure-entra", Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { ["clientSecret"] = Encoding.UTF8.GetBytes("entra-test-secret-do-not-print") },
        }, ns);
        await Eventually.UntilAsync(async () => ReconcileCount(await expander.MetricsAsync()) > reconciles, Timeout, "a reconcile after the Secret was created");
        Assert.False((await ValuesFixtures.StatusAsync(Cluster, ns))!["ready"]!.GetValue<bool>());
        Assert.Equal(1, (await ValuesFixtures.StatusAsync(Cluster, ns))!["objects"]!["missingSecrets"]!.GetValue<int>());
        var entra = await Cluster.CoreV1.ReadNamespacedSecretAsync("azure-entra", ns);
        entra.Data = new Dictionary<string, byte[]> { ["client-secret"] = Encoding.UTF8.GetBytes("entra-test-secret-do-not-print") };
        await Cluster.CoreV1.ReplaceNamespacedSecretAsync(entra, "azure-entra", ns);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready once the Secret is right");
        Assert.True(await ValuesFixtures.AllMatchAsync(expander.Client, expected, ns));
        Assert.False(await ApiErrors.ExistsAsync(() => Cluster.CoreV1.ReadNamespacedSecretAsync("azure-azure-client-secret", ns)));
        await AssertNoSecretValueAsync(expander, ns, "cloud-test-secret-do-not-print");
        await AssertNoSecretValueAsync(expander, ns, "entra-test-secret-do-not-print");
    }

    private static long ReconcileCount(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("expander_reconcile_duration_seconds_count", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private const string CloudValues = """
        gatewayRef:
          name: ai-gateway
        backends:
          bedrock:
            resourceName: bedrock
            schema: AWSBedrock
            fqdn: {hostname: bedrock-runtime.us-east-1.amazonaws.com, port: 443}
            awsCredentials:
              region: us-east-1
              credentialsFile:
                secretRef: {name: team-cloud-keys, key: aws-credentials-file}
                profile: bedrock
          azure:
            resourceName: azure
            schema: AzureOpenAI
            schemaVersion: 2024-10-21
            fqdn: {hostname: team-a.openai.azure.com, port: 443}
            azureCredentials:
              clientID: 0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90
              tenantID: 72f988bf-86f1-41af-91ab-2d7cd011db47
              clientSecretRef: {name: azure-entra}
        models:
          chat:
            backends:
              azure: {ref: azure, modelNameOverride: gpt-4o}
              bedrock: {ref: bedrock, modelNameOverride: us.anthropic.claude-sonnet-4-5-20250929-v1:0, priority: 1}
        """;

    [Fact]
    public async Task Invalid_values_leave_existing_objects_untouched_and_are_reported()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-invalid");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        await using var expander = RunningExpander.Start(controlPlane, ns);
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "applied");
        var versions = new Dictionary<string, string?>();
        foreach (var o in expected)
        {
            versions[o.Kind.Kind + "/" + o.Name] = (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default))!.ResourceVersion();
        }

        // as if applied while the webhook was down: a model whose slot names a backend that does not exist
        var broken = ValuesFixtures.Values(gpt4oWeight: 50) + "\n  broken:\n    backends:\n      x:\n        ref: nowhere\n";
        await ValuesFixtures.UpdateValuesAsync(Cluster, ns, broken);

        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Invalid)).Count > 0, Timeout, "an Invalid Event");
        var invalid = (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Invalid))[0];
        Assert.Contains("existing objects are kept", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("models.broken.backends.x.ref", invalid.Message, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == false, Timeout, "status not ready");
        foreach (var o in expected)
        {
            var live = (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default))!;
            Assert.Equal(versions[o.Kind.Kind + "/" + o.Name], live.ResourceVersion());
        }
    }

    [Fact]
    public async Task A_kind_the_cluster_does_not_serve_is_skipped_with_KindMissing_and_the_rest_is_applied()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-kind");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        // Kuadrant "not installed": the discovery answer without kuadrant.io (the shared control plane keeps its CRDs)
        IReadOnlyList<string> served;
        using (var probe = AiGatewayModels.Kube.KubeClient.Connect(new(controlPlane.KubeconfigPath), "ai-gateway-models-tests"))
        using (var discovery = new ApiDiscovery(probe))
        {
            served = (await discovery.ServedAsync(default)).Where(s => !s.StartsWith("kuadrant.io/", StringComparison.Ordinal)).ToList();
        }

        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { Discovery = new FixedDiscovery(served) });
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        await Eventually.UntilAsync(async () => (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.KindMissing)).Count > 0, Timeout, "a KindMissing Event");
        Assert.Contains("RateLimitPolicy", (await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.KindMissing))[0].Message, StringComparison.Ordinal);

        var expected = (await ValuesFixtures.ExpectedAsync(expander.Client, cm)).Where(o => o.Kind != ResourceKind.RateLimitPolicy).ToList();
        Assert.Equal(10, expected.Count);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "every other kind is applied");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");
        var list = await expander.Client.ListAsync(new AiGatewayModels.Kube.ApiResource("kuadrant.io", "v1", "ratelimitpolicies"), ns, null, null, default);
        Assert.Empty((JsonArray)list["items"]!);
    }

    [Fact]
    public async Task A_no_op_resync_writes_nothing()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-noop");
        await ValuesFixtures.CreateSourceSecretAsync(Cluster, ns, SecretValue);
        // no leader election here, so that every write the client counts is a reconcile's
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { ResyncPeriod = TimeSpan.FromMilliseconds(300), LeaderElect = false });
        var cm = await ValuesFixtures.CreateValuesAsync(Cluster, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "applied");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns))?["ready"]?.GetValue<bool>() == true, Timeout, "status ready");

        var done = ReconcilesDone(await expander.MetricsAsync());
        await Eventually.UntilAsync(async () => ReconcilesDone(await expander.MetricsAsync()) > done, Timeout, "a reconcile after the status was written");
        var writesBefore = expander.Writes;
        var listsBefore = LiveLists(await expander.MetricsAsync());
        var start = ReconcilesDone(await expander.MetricsAsync());
        await Eventually.UntilAsync(async () => ReconcilesDone(await expander.MetricsAsync()) >= start + 5, Timeout, "five more resyncs");
        Assert.True(expander.Writes - writesBefore == 0, $"{expander.Writes - writesBefore} writes; log:\n{expander.Log}");
        // live objects come from the drift watcher's cache (12 rendered objects and the projected Secret): no LIST per kind per reconcile
        Assert.Equal(listsBefore, LiveLists(await expander.MetricsAsync()));
        Assert.Contains("expander_cached_objects 13\n", await expander.MetricsAsync(), StringComparison.Ordinal);
        Assert.Single(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Applied));
    }

    private static long LiveLists(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("expander_live_lists_total ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Single();

    private static long ReconcilesDone(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("expander_reconciles_total{result=\"done\"}", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    private async Task<string?> ProjectedValueAsync(string ns)
    {
        try
        {
            var s = await Cluster.CoreV1.ReadNamespacedSecretAsync("azure-apikey", ns);
            return Encoding.UTF8.GetString(s.Data["apiKey"]);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>No secret value, plain or base64, in the controller's log, in Events or in the ConfigMap's annotations.</summary>
    private async Task AssertNoSecretValueAsync(RunningExpander expander, string ns, string value)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        var events = await Cluster.CoreV1.ListNamespacedEventAsync(ns);
        var annotations = (await Cluster.CoreV1.ReadNamespacedConfigMapAsync(ValuesFixtures.Name, ns)).Metadata.Annotations;
        foreach (var text in new[] { expander.Log, string.Join('\n', events.Items.Select(e => e.Message)), string.Join('\n', annotations.Values) })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
        }
    }
}
