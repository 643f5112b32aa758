namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// Where a walk over the values tree is, as the keys and indices from the root. Spelt as a <see cref="FieldPath"/>
/// only when a message needs it: building a path string for every node visited cost more than the checks made there.
/// </summary>
internal sealed class PathTrail
{
    private Segment[] segments = new Segment[16];
    private int depth;

    public void PushKey(string key) => Push(new Segment(key, 0));

    public void PushIndex(int index) => Push(new Segment(null, index));

    // The popped segment stays in the array until overwritten: the trail lives no longer than one walk.
    public void Pop() => depth--;

    private void Push(Segment segment)
    {
        if (depth == segments.Length)
        {
            Array.Resize(ref segments, depth * 2);
        }

        segments[depth++] = segment;
    }

    public override string ToString()
    {
        var path = string.Empty;
        foreach (var segment in segments.AsSpan(0, depth))
        {
            path = segment.Key is null ? FieldPath.Index(path, segment.Index) : FieldPath.Child(path, segment.Key);
        }

        return path;
    }

    private readonly record struct Segment(string? Key, int Index);
}
