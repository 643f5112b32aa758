namespace AiGatewayModels.Kube;

/// <summary>
/// A resource of the REST API by group, version and plural (<c>""</c> is the core group): how the client addresses every
/// kind, core or custom, without a generated model.
/// </summary>
public sealed record ApiResource(string Group, string Version, string Plural)
{
    public static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "configmaps");
    public static readonly ApiResource Secrets = new(string.Empty, "v1", "secrets");
    public static readonly ApiResource Events = new(string.Empty, "v1", "events");
    public static readonly ApiResource Leases = new("coordination.k8s.io", "v1", "leases");

    /// <summary>"v1" or "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The resource of <paramref name="plural"/> in <paramref name="apiVersion"/> ("v1", "group/version").</summary>
    public static ApiResource Of(string apiVersion, string plural)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new(string.Empty, apiVersion, plural) : new(apiVersion[..slash], apiVersion[(slash + 1)..], plural);
    }

    /// <summary>The collection's path, in a namespace or across all (<paramref name="ns"/> null).</summary>
    public string CollectionPath(string? ns) =>
        (Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}") + (ns is null ? string.Empty : "/namespaces/" + Uri.EscapeDataString(ns)) + "/" + Plural;

    /// <summary>One object's path.</summary>
    public string ItemPath(string ns, string name) => CollectionPath(ns) + "/" + Uri.EscapeDataString(name);

    public override string ToString() => Group.Length == 0 ? Plural : Plural + "." + Group;
}
