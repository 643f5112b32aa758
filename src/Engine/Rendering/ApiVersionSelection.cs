namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// Chooses the API version of each kind from what a cluster serves: the newest we can write.
/// The CLI feeds it <c>--api-versions</c> (as helm does); the expander feeds it discovery.
/// </summary>
public sealed class ApiVersionSelection
{
    private readonly Dictionary<ResourceKind, string?> chosen;

    private ApiVersionSelection(Dictionary<ResourceKind, string?> chosen) => this.chosen = chosen;

    /// <summary>Today's served versions: the newest of each kind.</summary>
    public static ApiVersionSelection Newest { get; } = new(ResourceKind.All.ToDictionary(k => k, k => (string?)k.ApiVersion(k.Versions[0])));

    /// <summary>
    /// From <c>group/version</c> or <c>group/version/Kind</c> entries. A group that is not mentioned keeps its newest version
    /// when <paramref name="unmentionedAreServed"/> (helm's offline assumption), or counts as not installed (discovery).
    /// </summary>
    public static ApiVersionSelection From(IEnumerable<string> available, bool unmentionedAreServed)
    {
        var entries = available.Select(a => a.Split('/')).ToList();
        var result = new Dictionary<ResourceKind, string?>();
        foreach (var kind in ResourceKind.All)
        {
            if (kind.Group.Length == 0)
            {
                result[kind] = kind.ApiVersion(kind.Versions[0]);
                continue;
            }

            var forGroup = entries.Where(e => e.Length >= 2 && e[0] == kind.Group && (e.Length < 3 || e[2] == kind.Kind)).Select(e => e[1]).ToHashSet(StringComparer.Ordinal);
            var mentioned = entries.Exists(e => e.Length >= 2 && e[0] == kind.Group);
            if (!mentioned)
            {
                result[kind] = unmentionedAreServed ? kind.ApiVersion(kind.Versions[0]) : null;
                continue;
            }

            var version = kind.Versions.FirstOrDefault(forGroup.Contains);
            result[kind] = version is null ? null : kind.ApiVersion(version);
        }

        return new ApiVersionSelection(result);
    }

    /// <summary>The apiVersion to write the kind in, or null when the cluster serves none we can write.</summary>
    public string? For(ResourceKind kind) => chosen.GetValueOrDefault(kind);
}
