using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Integration.Tests.ControlPlane;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// <c>kubectl kustomize deploy/manifests</c> builds, has what an install needs, and every object is accepted by the real
/// apiserver in a server-side dry run (<c>kubectl apply --server-side --dry-run=server</c>): built-in kinds against
/// v1.20's schemas and admission, the cert-manager Issuers and Certificates against the installed cert-manager CRDs.
/// The test control plane is v1.20, which has no <c>matchConditions</c> and no <c>policy/v1</c>; those two are rewritten
/// (see <see cref="DeployManifests.ForV120"/>) and the test asserts the rewrite touched exactly them.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ManifestsDryRunTests(ControlPlaneFixture controlPlane)
{
    private static readonly string[] Expected =
    [
        "Namespace/ai-gateway-models",
        "ServiceAccount/webhook", "ServiceAccount/expander",
        "ClusterRole/ai-gateway-models-webhook", "ClusterRole/ai-gateway-models-expander",
        "ClusterRoleBinding/ai-gateway-models-webhook", "ClusterRoleBinding/ai-gateway-models-expander",
        "Role/expander-leader-election", "RoleBinding/expander-leader-election",
        "ConfigMap/ai-gateway-models-policy",
        "Issuer/ai-gateway-models-selfsigned", "Certificate/ai-gateway-models-ca", "Issuer/ai-gateway-models-ca", "Certificate/webhook",
        "Deployment/webhook", "Service/webhook", "PodDisruptionBudget/webhook",
        "Deployment/expander", "Service/expander-metrics", "PodDisruptionBudget/expander",
        "NetworkPolicy/ai-gateway-models",
        "MutatingWebhookConfiguration/ai-gateway-models", "ValidatingWebhookConfiguration/ai-gateway-models",
    ];

    [Fact]
    public async Task Kustomize_builds_the_install_and_every_object_passes_a_server_side_dry_run()
    {
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        Assert.Equal(Expected.Order(StringComparer.Ordinal), objects.Select(o => o.Id()).Order(StringComparer.Ordinal));

        var (v120, rewrites) = DeployManifests.ForV120(objects);
        Assert.Equal(
            [
                "MutatingWebhookConfiguration/ai-gateway-models webhook label.models.ai-gateway.io: matchConditions removed",
                "PodDisruptionBudget/expander: policy/v1 -> policy/v1beta1",
                "PodDisruptionBudget/webhook: policy/v1 -> policy/v1beta1",
                "ValidatingWebhookConfiguration/ai-gateway-models webhook generated.models.ai-gateway.io: matchConditions removed",
                "ValidatingWebhookConfiguration/ai-gateway-models webhook values.models.ai-gateway.io: matchConditions removed",
            ],
            rewrites.Order(StringComparer.Ordinal));

        // namespaced objects need their namespace to exist, also in a dry run: create it for real (idempotent)
        var ns = v120.Single("Namespace", DeployManifests.Namespace);
        var (nsCode, _, nsErr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--field-manager=deploy-test", "-f", "-"], DeployManifests.AsList([ns]), controlPlane.KubeconfigPath);
        Assert.True(nsCode == 0, nsErr);

        var (code, stdout, stderr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--dry-run=server", "--field-manager=deploy-test", "-o", "name", "-f", "-"],
            DeployManifests.AsList(v120), controlPlane.KubeconfigPath);
        Assert.True(code == 0, $"kubectl apply --dry-run=server failed ({code}):\n{stderr}\n{stdout}");
        var accepted = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(objects.Count, accepted.Length);

        // the dry run stored nothing (the Namespace aside)
        var (getCode, _, getErr) = await Kubectl.RunAsync(["get", "deployment", "webhook", "-n", DeployManifests.Namespace], null, controlPlane.KubeconfigPath);
        Assert.NotEqual(0, getCode);
        Assert.Contains("NotFound", getErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_rewrite_v120_refuses_matchConditions_which_is_why_the_dry_run_strips_them()
    {
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        var mutating = (JsonObject)objects.Single("MutatingWebhookConfiguration", "ai-gateway-models").DeepClone();
        var (code, stdout, stderr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--dry-run=server", "--validate=false", "--field-manager=deploy-test", "-o", "name", "-f", "-"],
            DeployManifests.AsList([mutating]), controlPlane.KubeconfigPath);

        // server-side apply refuses a field v1.20's schema does not declare (client-side validation is off, to ask the server)
        Assert.NotEqual(0, code);
        Assert.Contains(".matchConditions: field not declared in schema", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ai-gateway-models", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workloads_meet_the_restricted_pod_security_standard_and_the_webhooks_are_scoped()
    {
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        foreach (var name in (string[])["webhook", "expander"])
        {
            var deployment = objects.Single("Deployment", name);
            Assert.Equal(2, (int?)deployment["spec"]!["replicas"]);
            var pod = deployment["spec"]!["template"]!["spec"]!.AsObject();
            Assert.Equal(name, (string?)pod["serviceAccountName"]);
            Assert.True((bool?)pod["securityContext"]!["runAsNonRoot"]);
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
            Assert.NotEmpty(pod["topologySpreadConstraints"]!.AsArray());
            var container = pod["containers"]!.AsArray().Single()!.AsObject();
            Assert.Equal("ai-gateway-models:0.1.0", (string?)container["image"]);
            var sc = container["securityContext"]!;
            Assert.False((bool?)sc["allowPrivilegeEscalation"]);
            Assert.True((bool?)sc["readOnlyRootFilesystem"]);
            Assert.Equal(["ALL"], sc["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
            Assert.NotNull(container["livenessProbe"]);
            Assert.NotNull(container["readinessProbe"]);
            Assert.NotNull(container["resources"]!["requests"]);
            Assert.NotNull(container["resources"]!["limits"]);
            Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "POD_NAMESPACE" && (string?)e["valueFrom"]!["fieldRef"]!["fieldPath"] == "metadata.namespace");
        }

        foreach (var kind in (string[])["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"])
        {
            var configuration = objects.Single(kind, "ai-gateway-models");
            Assert.Equal("ai-gateway-models/webhook", (string?)configuration["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]);
            foreach (var webhook in configuration["webhooks"]!.AsArray().Select(w => w!.AsObject()))
            {
                Assert.Equal("Fail", (string?)webhook["failurePolicy"]);
                Assert.Equal("None", (string?)webhook["sideEffects"]);
                Assert.Equal(["v1"], webhook["admissionReviewVersions"]!.AsArray().Select(v => (string?)v));
                Assert.InRange((int)webhook["timeoutSeconds"]!, 1, 10);
                Assert.Equal("webhook", (string?)webhook["clientConfig"]!["service"]!["name"]);
                var excluded = webhook["namespaceSelector"]!["matchExpressions"]!.AsArray().Single()!;
                Assert.Equal("NotIn", (string?)excluded["operator"]);
                Assert.Equal(["kube-system", "ai-gateway-models"], excluded["values"]!.AsArray().Select(v => (string?)v));
                Assert.True(webhook["objectSelector"] is not null || webhook["matchConditions"] is not null, $"{webhook["name"]} is called for every object of its kinds");
            }
        }

        // the default policy ConfigMap is a policy the engine reads (an empty document: every default)
        var policy = objects.Single("ConfigMap", "ai-gateway-models-policy");
        var (read, diagnostics) = PolicyReader.Read((string)policy["data"]![PolicyReader.DataKey]!);
        Assert.Empty(diagnostics);
        Assert.Equal(ModelsPolicy.Default, read);
    }
}
