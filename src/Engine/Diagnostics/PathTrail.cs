namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// Where a walk over the values tree is, as the keys and indices from the root. Spelt as a <see cref="FieldPath"/>
/// only when a message needs it: building a path string for every node visited cost more than the checks made there.
/// </summary>
internal sealed class PathTrail
{
    private readonly List<Segment> segments = [];

    public void PushKey(string key) => segments.Add(new Segment(key, 0));

    public void PushIndex(int index) => segments.Add(new Segment(null, index));

    public void Pop() => segments.RemoveAt(segments.Count - 1);

    public override string ToString()
    {
        var path = string.Empty;
        foreach (var segment in segments)
        {
            path = segment.Key is null ? FieldPath.Index(path, segment.Index) : FieldPath.Child(path, segment.Key);
        }

        return path;
    }

    private readonly record struct Segment(string? Key, int Index);
}
