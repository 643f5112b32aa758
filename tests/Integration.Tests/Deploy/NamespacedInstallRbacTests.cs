using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// The namespaced install (<c>deploy/overlays/namespaced</c>), applied for real and asked with SubjectAccessReviews: no
/// ClusterRole grants anything on Secrets, the programs get exactly the default install's Secret verbs in the tenant
/// namespaces the overlay names and nothing on Secrets anywhere else, both programs are told to watch those namespaces
/// only, and the admission webhooks are called there only. The default install's RBAC is restored afterwards.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class NamespacedInstallRbacTests(ControlPlaneFixture controlPlane)
{
    private static readonly string[] Tenants = ["team-a", "team-b"];
    private static readonly string[] RbacKinds = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];

    [Fact]
    public async Task Secrets_are_granted_in_the_named_namespaces_only_and_both_programs_watch_only_them()
    {
        var (_, objects) = await Kubectl.KustomizeAsync("deploy", "overlays", "namespaced");

        // no cluster-wide Secret access at all, by any rule of ours
        foreach (var role in objects.Where(o => o.Kind() == "ClusterRole"))
        {
            foreach (var rule in role["rules"]!.AsArray().Select(r => r!))
            {
                var resources = rule["resources"]!.AsArray().Select(r => (string?)r).ToList();
                Assert.False(resources.Contains("secrets") || resources.Contains("*"), $"ClusterRole {role.Name()} grants {string.Join(", ", resources)}");
            }
        }

        // both programs watch the tenant namespaces only, and the webhooks are called there only
        foreach (var name in (string[])["expander", "webhook"])
        {
            var args = objects.Single("Deployment", name)["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string?)a);
            Assert.Contains("--namespaces=" + string.Join(',', Tenants), args);
        }

        foreach (var kind in (string[])["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"])
        {
            foreach (var webhook in objects.Single(kind, "ai-gateway-models")["webhooks"]!.AsArray())
            {
                var only = webhook!["namespaceSelector"]!["matchExpressions"]!.AsArray().Single(e => (string?)e!["operator"] == "In")!;
                Assert.Equal("kubernetes.io/metadata.name", (string?)only["key"]);
                Assert.Equal(Tenants, only["values"]!.AsArray().Select(v => (string?)v));
            }
        }

        foreach (var ns in Tenants)
        {
            await EnsureNamespaceAsync(ns);
        }

        var rbac = objects.Where(o => RbacKinds.Contains(o.Kind())).ToList();
        try
        {
            await ApplyAsync(rbac);
            var problems = new List<string>();
            string[] expanderVerbs = ["get", "list", "watch", "create", "patch", "delete"];
            foreach (var ns in Tenants)
            {
                foreach (var verb in expanderVerbs)
                {
                    await ExpectAsync(DeployManifests.ExpanderUser, verb, ns, allowed: true, problems);
                }

                await ExpectAsync(DeployManifests.ExpanderUser, "update", ns, allowed: false, problems);
                await ExpectAsync(DeployManifests.WebhookUser, "get", ns, allowed: true, problems);
                await ExpectAsync(DeployManifests.WebhookUser, "list", ns, allowed: false, problems);
            }

            // another namespace, and the whole cluster: nothing on Secrets
            foreach (var verb in expanderVerbs)
            {
                await ExpectAsync(DeployManifests.ExpanderUser, verb, "team-c", allowed: false, problems);
                await ExpectAsync(DeployManifests.ExpanderUser, verb, null, allowed: false, problems);
                await ExpectAsync(DeployManifests.WebhookUser, verb, "team-c", allowed: false, problems);
                await ExpectAsync(DeployManifests.WebhookUser, verb, null, allowed: false, problems);
            }

            await ExpectAsync(DeployManifests.ExpanderUser, "get", DeployManifests.Namespace, allowed: false, problems);
            Assert.True(problems.Count == 0, string.Join("\n", problems));

            // and kubectl agrees
            var (code, stdout, _) = await Kubectl.RunAsync(["auth", "can-i", "list", "secrets", "--all-namespaces", "--as", DeployManifests.ExpanderUser], null, controlPlane.KubeconfigPath);
            Assert.Equal(("no", 1), (stdout.Trim(), code));
            (code, stdout, _) = await Kubectl.RunAsync(["auth", "can-i", "watch", "secrets", "-n", "team-b", "--as", DeployManifests.ExpanderUser], null, controlPlane.KubeconfigPath);
            Assert.Equal(("yes", 0), (stdout.Trim(), code));
        }
        finally
        {
            // the default install's RBAC again, without the tenant Roles: other tests assume the shipped default
            var (_, defaults) = await Kubectl.KustomizeManifestsAsync();
            await ApplyAsync([.. defaults.Where(o => RbacKinds.Contains(o.Kind()))]);
            foreach (var o in rbac.Where(o => o.Kind() is "Role" or "RoleBinding" && Tenants.Contains((string?)o["metadata"]!["namespace"])))
            {
                await Kubectl.RunAsync(["delete", o.Kind().ToLowerInvariant(), o.Name(), "-n", (string)o["metadata"]!["namespace"]!, "--ignore-not-found"], null, controlPlane.KubeconfigPath);
            }
        }
    }

    private async Task ApplyAsync(IReadOnlyList<JsonObject> objects)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--force-conflicts", "--field-manager=deploy-test", "-f", "-"], DeployManifests.AsList(objects), controlPlane.KubeconfigPath);
        Assert.True(code == 0, $"{stderr}\n{stdout}");
    }

    private async Task EnsureNamespaceAsync(string ns)
    {
        var (code, _, stderr) = await Kubectl.RunAsync(["create", "namespace", ns], null, controlPlane.KubeconfigPath);
        Assert.True(code == 0 || stderr.Contains("AlreadyExists", StringComparison.Ordinal), stderr);
    }

    private async Task ExpectAsync(string user, string verb, string? ns, bool allowed, List<string> problems)
    {
        var review = await controlPlane.Client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = ["system:serviceaccounts", "system:serviceaccounts:" + DeployManifests.Namespace, "system:authenticated"],
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = "secrets", NamespaceProperty = ns, Name = verb is "get" or "patch" or "delete" or "update" ? "x" : null },
            },
        });
        if (review.Status.Allowed != allowed)
        {
            problems.Add($"{user} {(allowed ? "cannot" : "CAN")} {verb} secrets in {ns ?? "all namespaces"}");
        }
    }
}
