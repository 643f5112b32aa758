using k8s;
using k8s.Models;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>
/// Real identities for a test: clients that act as a named user (the admin impersonates them, so the apiserver
/// authenticates, authorizes and sends <c>userInfo</c> to the webhooks exactly as it would for that user), and the
/// namespaced RBAC that gives them their rights.
/// </summary>
internal static class Tenants
{
    public static readonly V1PolicyRule[] ConfigMapEditor =
    [
        new() { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"] },
    ];

    /// <summary>A client that acts as <paramref name="user"/> (with <c>system:authenticated</c>, as every real user has).</summary>
    public static Kubernetes As(string kubeconfigPath, string user) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath), new Impersonation(user));

    /// <summary>A Role with <paramref name="rules"/> in <paramref name="ns"/>, bound to <paramref name="user"/>.</summary>
    public static async Task GrantAsync(Kubernetes admin, string ns, string user, string role, params V1PolicyRule[] rules)
    {
        ArgumentNullException.ThrowIfNull(admin);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = role }, Rules = rules }, ns);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = role + "-" + Sanitize(user) },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = role },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = user }],
        }, ns);
    }

    /// <summary><c>get</c> on the named Secrets only.</summary>
    public static V1PolicyRule SecretReader(params string[] names) =>
        new() { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get"], ResourceNames = names };

    private static string Sanitize(string user) => new([.. user.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private sealed class Impersonation(string user) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("Impersonate-User", user);
            request.Headers.Add("Impersonate-Group", "system:authenticated");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
