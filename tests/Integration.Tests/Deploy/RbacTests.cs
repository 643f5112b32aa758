using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// The RBAC of <c>deploy/manifests</c>, applied for real, asked with SubjectAccessReviews as each service account:
/// everything in the "needs" tables is allowed, the rules grant nothing beyond those tables (compared rule by rule),
/// and everything in the "forbidden" tables is denied.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class RbacTests(ControlPlaneFixture controlPlane)
{
    private const string UserNs = "team-a";
    private const string Ours = DeployManifests.Namespace;
    private const string Lease = "ai-gateway-models-expander";

    /// <summary>(verb, group, resource, namespace, name): "" namespace is every namespace.</summary>
    private static readonly (string Verb, string Group, string Resource, string Ns, string? Name)[] WebhookNeeds =
    [
        ("list", "", "configmaps", "", null), ("watch", "", "configmaps", "", null), // values ConfigMaps cluster-wide
        ("list", "", "configmaps", Ours, null), ("watch", "", "configmaps", Ours, null), // the policy ConfigMap
        ("get", "", "secrets", UserNs, "openai-credentials"), // does apiKeySecretRef exist
        ("get", "", "secrets", UserNs, "aws-bedrock"), // and every Secret that cloud credentials name: the same rule, no new one
        ("get", "gateway.networking.k8s.io", "gateways", UserNs, "ai-gateway"), // does gatewayRef exist
        ("create", "authorization.k8s.io", "subjectaccessreviews", "", null), // may the author read each Secret the values name
    ];

    private static readonly (string Verb, string Group, string Resource, string Ns, string? Name)[] WebhookForbidden =
    [
        ("list", "", "secrets", UserNs, null), ("watch", "", "secrets", "", null), ("list", "", "secrets", "", null),
        ("create", "", "secrets", UserNs, null), ("update", "", "secrets", UserNs, "x"), ("patch", "", "secrets", UserNs, "x"), ("delete", "", "secrets", UserNs, "x"),
        ("create", "", "configmaps", UserNs, null), ("update", "", "configmaps", UserNs, "x"), ("patch", "", "configmaps", UserNs, "x"), ("delete", "", "configmaps", UserNs, "x"),
        ("list", "gateway.networking.k8s.io", "gateways", "", null), ("update", "gateway.networking.k8s.io", "gateways", UserNs, "ai-gateway"),
        ("create", "aigateway.envoyproxy.io", "aigatewayroutes", UserNs, null), ("patch", "gateway.envoyproxy.io", "backends", UserNs, "x"),
        ("create", "", "events", UserNs, null), ("create", "coordination.k8s.io", "leases", Ours, null),
        ("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "ai-gateway-models"),
        ("update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "ai-gateway-models"),
        ("list", "", "pods", "", null), ("create", "", "serviceaccounts/token", Ours, "webhook"),
        ("*", "*", "*", "", null),
    ];

    /// <summary>The kinds the engine generates: the one registry, not a list of this test's own.</summary>
    private static readonly (string Group, string[] Resources)[] Generated =
        [.. ResourceKind.All.GroupBy(k => k.Group).Select(g => (g.Key, g.Select(k => k.Plural).ToArray()))];

    private static readonly string[] GeneratedVerbs = ["get", "list", "watch", "create", "patch", "delete"];

    private static readonly (string Verb, string Group, string Resource, string Ns, string? Name)[] ExpanderNeeds =
    [
        ("list", "", "configmaps", "", null), ("watch", "", "configmaps", "", null), // values ConfigMaps, the policy
        ("patch", "", "configmaps", UserNs, "team-a-models"), // the status annotation
        ("update", "", "configmaps/finalizers", UserNs, "team-a-models"), // blockOwnerDeletion
        ("create", "", "events", UserNs, null),
        ("create", "coordination.k8s.io", "leases", Ours, null),
        ("get", "coordination.k8s.io", "leases", Ours, Lease), ("update", "coordination.k8s.io", "leases", Ours, Lease),
        .. Generated.SelectMany(g => g.Resources.SelectMany(r => GeneratedVerbs.Select(v => (v, g.Group, r, UserNs, (string?)(v is "get" or "patch" or "delete" ? "x" : null))))),

        // every Secret the values name is read (projected when its key is not the one AI Gateway reads, else checked and
        // reported when missing) and watched by name: cloud credentials (an AWS credentials file, an Azure or OIDC client
        // secret, a GCP service account key) need nothing the API-key projection did not already have
        ("get", "", "secrets", UserNs, "aws-bedrock"), ("list", "", "secrets", UserNs, null), ("watch", "", "secrets", UserNs, null),
        ("patch", "", "secrets", UserNs, "bedrock-aws-credentials"), ("delete", "", "secrets", UserNs, "vertex-gcp-service-account"),
    ];

    private static readonly (string Verb, string Group, string Resource, string Ns, string? Name)[] ExpanderForbidden =
    [
        ("get", "", "configmaps", UserNs, "x"), ("create", "", "configmaps", UserNs, null), ("update", "", "configmaps", UserNs, "x"), ("delete", "", "configmaps", UserNs, "x"),
        ("update", "", "secrets", UserNs, "x"), ("update", "aigateway.envoyproxy.io", "aigatewayroutes", UserNs, "x"),
        ("create", "gateway.networking.k8s.io", "httproutes", UserNs, null), ("delete", "gateway.networking.k8s.io", "httproutes", UserNs, "x"),
        ("get", "gateway.networking.k8s.io", "gateways", UserNs, "ai-gateway"), ("update", "gateway.networking.k8s.io", "gateways", UserNs, "ai-gateway"),
        ("create", "gateway.envoyproxy.io", "envoypatchpolicies", UserNs, null),
        ("get", "coordination.k8s.io", "leases", Ours, "another-lease"), ("update", "coordination.k8s.io", "leases", Ours, "another-lease"),
        ("delete", "coordination.k8s.io", "leases", Ours, Lease), ("get", "coordination.k8s.io", "leases", "kube-system", Lease),
        ("create", "coordination.k8s.io", "leases", UserNs, null),
        ("create", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", null),
        ("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "ai-gateway-models"),
        ("delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "ai-gateway-models"),
        ("patch", "apiextensions.k8s.io", "customresourcedefinitions", "", "aigatewayroutes.aigateway.envoyproxy.io"),
        ("list", "", "pods", UserNs, null), ("create", "", "pods", UserNs, null), ("list", "", "namespaces", "", null),
        ("create", "apps", "deployments", Ours, null), ("create", "", "serviceaccounts/token", Ours, "expander"),
        ("bind", "rbac.authorization.k8s.io", "clusterroles", "", "cluster-admin"), ("create", "rbac.authorization.k8s.io", "rolebindings", UserNs, null),
        ("create", "cert-manager.io", "certificates", UserNs, null),
        ("*", "*", "*", "", null),
    ];

    [Fact]
    public async Task Each_service_account_can_do_exactly_what_it_needs()
    {
        var (_, objects) = await Kubectl.KustomizeManifestsAsync();
        string[] rbacKinds = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];
        var rbac = objects.Where(o => rbacKinds.Contains(o.Kind())).ToList();
        var (code, stdout, stderr) = await Kubectl.RunAsync(
            ["apply", "--server-side", "--field-manager=deploy-test", "-f", "-"], DeployManifests.AsList(rbac), controlPlane.KubeconfigPath);
        Assert.True(code == 0, $"{stderr}\n{stdout}");

        // the rules grant nothing that the "needs" tables do not list (so the forbidden tables are not the only guard)
        Assert.Equal(
            Normalise(WebhookNeeds.Select(n => (n.Verb, n.Group, n.Resource, IsOurs: false))),
            Granted(objects, "ai-gateway-models-webhook", null));
        Assert.Equal(
            Normalise(ExpanderNeeds.Select(n => (n.Verb, n.Group, n.Resource, IsOurs: n.Resource == "leases"))),
            Granted(objects, "ai-gateway-models-expander", "expander-leader-election"));

        var problems = new List<string>();
        await CheckAsync(DeployManifests.WebhookUser, WebhookNeeds, allowed: true, problems);
        await CheckAsync(DeployManifests.WebhookUser, WebhookForbidden, allowed: false, problems);
        await CheckAsync(DeployManifests.ExpanderUser, ExpanderNeeds, allowed: true, problems);
        await CheckAsync(DeployManifests.ExpanderUser, ExpanderForbidden, allowed: false, problems);

        // discovery needs no rule of ours: system:discovery grants it to every authenticated user
        foreach (var path in (string[])["/apis", "/apis/aigateway.envoyproxy.io/v1beta1"])
        {
            if (!await AllowedAsync(DeployManifests.ExpanderUser, new V1NonResourceAttributes { Path = path, Verb = "get" }))
            {
                problems.Add($"expander cannot GET {path} (discovery)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // and the CLI agrees, for one of each
        var (canI, canIOut, _) = await Kubectl.RunAsync(
            ["auth", "can-i", "list", "secrets", "--all-namespaces", "--as", DeployManifests.WebhookUser], null, controlPlane.KubeconfigPath);
        Assert.Equal(("no", 1), (canIOut.Trim(), canI));
        (canI, canIOut, _) = await Kubectl.RunAsync(
            ["auth", "can-i", "patch", "aigatewayroutes.aigateway.envoyproxy.io", "-n", UserNs, "--as", DeployManifests.ExpanderUser], null, controlPlane.KubeconfigPath);
        Assert.Equal(("yes", 0), (canIOut.Trim(), canI));
    }

    private static List<string> Normalise(IEnumerable<(string Verb, string Group, string Resource, bool IsOurs)> grants) =>
        [.. grants.Select(g => $"{(g.IsOurs ? "ns" : "cluster")} {g.Group}/{g.Resource} {g.Verb}").Distinct().Order(StringComparer.Ordinal)];

    private static List<string> Granted(IReadOnlyList<JsonObject> objects, string clusterRole, string? role)
    {
        IEnumerable<(string, string, string, bool)> Rules(JsonObject r, bool ours) =>
            from rule in r["rules"]!.AsArray().Select(x => x!)
            from g in rule["apiGroups"]!.AsArray().Select(x => (string)x!)
            from res in rule["resources"]!.AsArray().Select(x => (string)x!)
            from v in rule["verbs"]!.AsArray().Select(x => (string)x!)
            select (v, g, res, ours);
        var grants = Rules(objects.Single("ClusterRole", clusterRole), false);
        if (role is not null)
        {
            grants = grants.Concat(Rules(objects.Single("Role", role), true));
        }

        return Normalise(grants);
    }

    private async Task CheckAsync(string user, IEnumerable<(string Verb, string Group, string Resource, string Ns, string? Name)> cases, bool allowed, List<string> problems)
    {
        foreach (var (verb, group, resource, ns, name) in cases)
        {
            var parts = resource.Split('/');
            var attributes = new V1ResourceAttributes
            {
                Verb = verb,
                Group = group,
                Resource = parts[0],
                Subresource = parts.Length > 1 ? parts[1] : null,
                NamespaceProperty = ns.Length > 0 ? ns : null,
                Name = name,
            };
            if (await AllowedAsync(user, attributes, null) != allowed)
            {
                problems.Add($"{user} {(allowed ? "cannot" : "CAN")} {verb} {group}/{resource}{(name is null ? "" : "/" + name)} in {(ns.Length > 0 ? ns : "all namespaces")}");
            }
        }
    }

    private Task<bool> AllowedAsync(string user, V1NonResourceAttributes attributes) => AllowedAsync(user, null, attributes);

    private async Task<bool> AllowedAsync(string user, V1ResourceAttributes? resource, V1NonResourceAttributes? nonResource)
    {
        var review = await controlPlane.Client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = ["system:serviceaccounts", "system:serviceaccounts:" + DeployManifests.Namespace, "system:authenticated"],
                ResourceAttributes = resource,
                NonResourceAttributes = nonResource,
            },
        });
        return review.Status.Allowed;
    }
}
