using System.Text.Json.Nodes;

namespace AiGatewayModels.Expander.Diff;

/// <summary>What applying the values would do to one object.</summary>
internal enum Change
{
    Unchanged,
    Create,
    Update,
    Prune,
    Conflict,
}

/// <summary>One object's line in the report: its unified diff (never for a Secret), or why it cannot be applied.</summary>
internal sealed record DiffEntry(string Kind, string Name, Change Change, string Diff, string? Detail);

/// <summary>
/// The answer of <c>expander diff</c>: an entry per desired or prunable object, the Secrets the expander would project
/// (names only), and what the admission webhook and the engine say about the values.
/// </summary>
internal sealed class DiffReport
{
    public List<DiffEntry> Entries { get; } = [];

    public List<string> ProjectedSecrets { get; } = [];

    public List<string> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public bool HasDifferences => Entries.Any(e => e.Change != Change.Unchanged);

    /// <summary>One line per kind: how many objects are created, updated, pruned, in conflict and unchanged.</summary>
    public IEnumerable<string> Summary() =>
        Entries.GroupBy(e => e.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{g.Key}: {Count(g, Change.Create)} to create, {Count(g, Change.Update)} to update, {Count(g, Change.Prune)} to prune, " +
            $"{Count(g, Change.Conflict)} in conflict, {Count(g, Change.Unchanged)} unchanged");

    public JsonObject ToJson() => new()
    {
        ["differences"] = HasDifferences,
        ["objects"] = new JsonArray([.. Entries.Select(e => (JsonNode)new JsonObject
        {
            ["kind"] = e.Kind,
            ["name"] = e.Name,
            ["change"] = e.Change.ToString().ToLowerInvariant(),
            ["diff"] = e.Diff.Length == 0 ? null : e.Diff,
            ["detail"] = e.Detail,
        })]),
        ["projectedSecrets"] = new JsonArray([.. ProjectedSecrets.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["errors"] = new JsonArray([.. Errors.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["warnings"] = new JsonArray([.. Warnings.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["summary"] = new JsonArray([.. Summary().Select(s => (JsonNode)JsonValue.Create(s))]),
    };

    private static int Count(IEnumerable<DiffEntry> entries, Change change) => entries.Count(e => e.Change == change);
}
