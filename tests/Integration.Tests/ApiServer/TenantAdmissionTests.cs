using System.Net;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The webhook acts for the author of a values ConfigMap, through the real apiserver with real identities (users the
/// admin impersonates, with namespaced RBAC): values may name only Secrets their author may get (a SubjectAccessReview
/// with the request's userInfo), and the denial reads the same whether the Secret exists or not; an update that leaves
/// the values alone is admitted even under a policy that now refuses them; only the expander may write the status.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class TenantAdmissionTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Values_may_name_only_Secrets_their_author_may_get_and_the_denial_does_not_tell_whether_one_exists()
    {
        var admin = controlPlane.Client;
        var home = await controlPlane.CreateNamespaceAsync("tenant-sar-home");
        var ns = await controlPlane.CreateNamespaceAsync("tenant-sar");
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, home);
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);

        // the team's credentials (labelled) and a Secret that is not the ConfigMap editor's to use
        foreach (var name in (string[])["openai-apikey", "azure-apikey", "platform-token"])
        {
            await admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = NamedSecrets.CredentialLabels },
                Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.ASCII.GetBytes("tenant-test-key-do-not-print") },
            }, ns);
        }

        // alice may edit ConfigMaps only; bob may also get the team's two Secrets
        await Tenants.GrantAsync(admin, ns, "alice", "configmap-editor", Tenants.ConfigMapEditor);
        await Tenants.GrantAsync(admin, ns, "bob", "models-author", [.. Tenants.ConfigMapEditor, Tenants.SecretReader("openai-apikey", "azure-apikey")]);
        using var alice = Tenants.As(controlPlane.KubeconfigPath, "alice");
        using var bob = Tenants.As(controlPlane.KubeconfigPath, "bob");

        var refused = await ApiErrors.DeniedAsync(() => alice.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues), ns));
        Assert.Contains($"ConfigMap {ns}/models: values may only name Secrets that their author may read, and \"alice\" may not get Secret " +
            "azure-apikey (backends.azure.apiKeySecretRef.name), openai-apikey (backends.openai.apiKeySecretRef.name) in namespace " + ns, refused, StringComparison.Ordinal);

        // a Secret that exists and one that does not are refused with the same words: the answer is RBAC's, not the store's
        var existing = await ApiErrors.DeniedAsync(() => alice.CoreV1.CreateNamespacedConfigMapAsync(
            ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues.Edit("azure-apikey", "platform-token")), ns));
        var absent = await ApiErrors.DeniedAsync(() => alice.CoreV1.CreateNamespacedConfigMapAsync(
            ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues.Edit("azure-apikey", "platform-tokem")), ns));
        Assert.Equal(existing, absent.Edit("platform-tokem", "platform-token"));

        // bob may read what he names: stored; the Secret he may not read is refused to him too
        await bob.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues), ns);
        var bobs = await ApiErrors.DeniedAsync(() => bob.CoreV1.CreateNamespacedConfigMapAsync(
            ModelsWebhookHost.Values("models-2", ModelsWebhookTests.GoodValues.Edit("azure-apikey", "platform-token")
                .Edit("-backend", "-backend-2").Edit("gpt-4", "gpt-5")), ns));
        Assert.Contains("\"bob\" may not get Secret platform-token (backends.azure.apiKeySecretRef.name)", bobs, StringComparison.Ordinal);
        Assert.DoesNotContain("openai-apikey", bobs, StringComparison.Ordinal);

        // alice may touch bob's ConfigMap where the values stay as they are, but not send his credential elsewhere
        await alice.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"annotations\":{\"team\":\"a\"}}}", V1Patch.PatchType.MergePatch), "models", ns);
        var redirected = await ApiErrors.DeniedAsync(() => alice.CoreV1.PatchNamespacedConfigMapAsync(ValuesPatch(ModelsWebhookTests.GoodValues
            .Edit("api.openai.com", "collector.example.com")), "models", ns));
        Assert.Contains("\"alice\" may not get Secret azure-apikey", redirected, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant-test-key", refused + existing + bobs + redirected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_that_keeps_the_values_is_admitted_under_a_stricter_policy_and_only_the_expander_writes_the_status()
    {
        var admin = controlPlane.Client;
        var home = await controlPlane.CreateNamespaceAsync("tenant-ratchet-home");
        var ns = await controlPlane.CreateNamespaceAsync("tenant-ratchet");
        var policyName = $"models-policy-{Guid.NewGuid():N}"[..22];
        var expanderUser = $"system:serviceaccount:{home}:expander";
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, home, "--policy-configmap", policyName, "--expander-username", expanderUser);
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);
        await Tenants.GrantAsync(admin, ns, "carol", "models-author", [.. Tenants.ConfigMapEditor, Tenants.SecretReader("openai-apikey", "azure-apikey")]);
        await Tenants.GrantAsync(admin, ns, expanderUser, "expander-status",
            new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["patch"] });
        using var carol = Tenants.As(controlPlane.KubeconfigPath, "carol");
        using var expander = Tenants.As(controlPlane.KubeconfigPath, expanderUser);
        await carol.CoreV1.CreateNamespacedConfigMapAsync(ModelsWebhookHost.Values("models", ModelsWebhookTests.GoodValues), ns);

        // a user cannot say "ready" for the expander, neither on create nor by a patch; taking the annotation away is harmless
        var forged = ModelsWebhookHost.Values("forged", ModelsWebhookTests.GoodValues.Edit("gpt-4", "gpt-9")
            .Edit("-backend", "-backend-9"));
        forged.Metadata.Annotations[WellKnown.StatusAnnotation] = "{\"ready\":true}";
        var created = await ApiErrors.DeniedAsync(() => carol.CoreV1.CreateNamespacedConfigMapAsync(forged, ns));
        Assert.Contains($"ConfigMap {ns}/forged: the annotation {WellKnown.StatusAnnotation} is written by the expander only", created, StringComparison.Ordinal);
        var patched = await ApiErrors.DeniedAsync(() => carol.CoreV1.PatchNamespacedConfigMapAsync(StatusPatch("{\"ready\":true}"), "models", ns));
        Assert.Contains($"the annotation {WellKnown.StatusAnnotation} is written by the expander only", patched, StringComparison.Ordinal);
        await expander.CoreV1.PatchNamespacedConfigMapAsync(StatusPatch("{\"ready\":true,\"message\":\"2 objects in sync\"}"), "models", ns);
        await carol.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($"{{\"metadata\":{{\"annotations\":{{\"{WellKnown.StatusAnnotation}\":null}}}}}}", V1Patch.PatchType.MergePatch), "models", ns);

        // a stricter policy refuses these values: a change of them is denied, but the expander can still report it, and
        // the author can still label and annotate the ConfigMap
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = policyName },
            Data = new Dictionary<string, string> { ["policy.yaml"] = "minBackendsPerModel: 3\n" },
        }, home);
        var denial = await ApiErrors.EventuallyDeniedAsync(
            () => carol.CoreV1.PatchNamespacedConfigMapAsync(ValuesPatch(ModelsWebhookTests.GoodValues + "\n# edited\n"), "models", ns, dryRun: "All"),
            PropagationTimeout, "the stricter policy is in force");
        Assert.Contains("at least 3 are required", denial, StringComparison.Ordinal);
        await expander.CoreV1.PatchNamespacedConfigMapAsync(StatusPatch("{\"ready\":false,\"message\":\"values are invalid\"}"), "models", ns);
        await carol.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"team\":\"c\"}}}", V1Patch.PatchType.MergePatch), "models", ns);
        var stored = await admin.CoreV1.ReadNamespacedConfigMapAsync("models", ns);
        Assert.Equal("{\"ready\":false,\"message\":\"values are invalid\"}", stored.Metadata.Annotations[WellKnown.StatusAnnotation]);
        Assert.Equal("c", stored.Metadata.Labels["team"]);
    }

    private static V1Patch ValuesPatch(string values) =>
        new(new V1ConfigMap { Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values } }, V1Patch.PatchType.MergePatch);

    private static V1Patch StatusPatch(string status) =>
        new(new V1ConfigMap { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [WellKnown.StatusAnnotation] = status } } }, V1Patch.PatchType.MergePatch);
}
