namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Host names that the gateway's pods resolve inside the cluster or on their own node, not on the Internet: the class
/// of names a tenant could use to reach what it cannot reach itself. A pod's resolver tries every name with fewer than
/// five dots against its search path first (<c>&lt;ns&gt;.svc.cluster.local</c>, <c>svc.cluster.local</c>,
/// <c>cluster.local</c>), so <c>redis</c>, <c>redis.team-b</c>, <c>kubernetes.default</c> and
/// <c>kube-dns.kube-system</c> all reach Services; <c>/etc/hosts</c> holds <c>localhost</c>, <c>ip6-localhost</c> and
/// the pod's own name; special-use domains (RFC 6761, 6762, 7686, 8375, 9476) go to no public resolver. What is left is
/// a name under a top-level domain of the public root.
/// </summary>
public static class InternalNames
{
    /// <summary>Why <paramref name="host"/> (a valid lowercase DNS name) is not a name the Internet resolves, or null when it is.</summary>
    public static string? Reason(string host)
    {
        var dot = host.LastIndexOf('.');
        if (dot < 0)
        {
            return "is a single-label name, which the gateway's pods resolve through their DNS search path (a Service of the gateway's namespace) or /etc/hosts";
        }

        var tld = host.AsSpan(dot + 1);
        if (TopLevelDomains.IsSpecialUse(tld))
        {
            return $"is under .{tld}, a special-use domain that no public resolver answers for (RFC 6761, 6762, 7686, 8375, 9476): it resolves, if at all, on the gateway's node or network";
        }

        if (!TopLevelDomains.IsPublic(tld))
        {
            return $"does not end in a public top-level domain (.{tld} is not one): names such as <service>.<namespace>, *.svc, *.cluster.local and *.internal resolve inside the cluster, through the gateway's DNS search path";
        }

        return null;
    }
}
