namespace AiGatewayModels.Engine.Yaml;

/// <summary>How a value came to a place other than where it is written.</summary>
public enum YViaKind
{
    /// <summary><c>key: *anchor</c> or <c>- *anchor</c>: the anchored node itself.</summary>
    Alias,

    /// <summary><c>&lt;&lt;: *anchor</c> or <c>&lt;&lt;: [*a, *b]</c>: an entry of the merged mapping.</summary>
    Merge,
}

/// <summary>
/// One step of a value's way: the alias or merge key that brought it (<see cref="UseLine"/>) and where the mapping or
/// node it came from is written (<see cref="SourceLine"/>). Lines only, never the anchor's name, which is user text.
/// </summary>
public sealed record YVia(YViaKind Kind, int UseLine, int SourceLine);

/// <summary>
/// Where a mapping entry or list item came from when it is not simply where it is written: the values file or
/// <c>--set</c> that gave it (<see cref="Layer"/>, when values come from more than one), and the aliases and merge
/// keys that brought it, outermost first. Findings about the value (or anything inside it) say so.
/// </summary>
public sealed record YOrigin(string? Layer, IReadOnlyList<YVia> Vias)
{
    public static YOrigin Through(YVia via, YOrigin? inner) => new(inner?.Layer, inner is null ? [via] : [via, .. inner.Vias]);

    public YOrigin InLayer(string layer) => this with { Layer = layer };
}
