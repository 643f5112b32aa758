namespace AiGatewayModels.Kube;

/// <summary>Paths of the REST API.</summary>
public static class KubePaths
{
    public static string Collection(string group, string version, string plural, string? ns) =>
        (group.Length == 0 ? "/api/" + version : $"/apis/{group}/{version}") + (ns is null ? string.Empty : "/namespaces/" + ns) + "/" + plural;

    public static string Item(string group, string version, string plural, string ns, string name) =>
        Collection(group, version, plural, ns) + "/" + Uri.EscapeDataString(name);

    /// <summary>Splits an apiVersion ("v1", "group/version") into group and version.</summary>
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
