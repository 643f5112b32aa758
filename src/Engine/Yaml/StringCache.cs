namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// Hands out one string for text that repeats: a values document says <c>ref</c>, <c>priority</c> and its backends'
/// names hundreds of times, and a new string for each was a third of what reading it allocated. Direct-mapped, so a
/// lookup costs a hash and one comparison; a collision only means another allocation, never a wrong string.
/// </summary>
internal sealed class StringCache
{
    private const int Slots = 512;

    // Longer text rarely repeats (hostnames, model ids) and would only cost the hash.
    private const int MaxCachedLength = 32;

    private readonly string?[] slots = new string?[Slots];

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > MaxCachedLength)
        {
            return text.ToString();
        }

        // FNV-1a: short keys differ mostly in a letter or two, which it spreads over the whole hash.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        ref var slot = ref slots[hash % Slots];
        if (slot is not null && text.SequenceEqual(slot))
        {
            return slot;
        }

        return slot = text.ToString();
    }
}
