using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>The priority levels of a model's backend slots, which the rules judge and normalising compacts.</summary>
internal static class SlotPriorities
{
    /// <summary>The distinct priorities of the enabled slots, lowest first; a slot without one is at 0.</summary>
    public static List<long> Levels(IReadOnlyList<SlotSpec> slots)
    {
        var levels = new List<long>(slots.Count);
        foreach (var s in slots)
        {
            if (s.Enabled)
            {
                levels.Add(s.Priority ?? 0);
            }
        }

        levels.Sort();
        var distinct = 0;
        for (var i = 0; i < levels.Count; i++)
        {
            if (distinct == 0 || levels[i] != levels[distinct - 1])
            {
                levels[distinct++] = levels[i];
            }
        }

        levels.RemoveRange(distinct, levels.Count - distinct);
        return levels;
    }
}
