using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>models.*: what clients match on, which backends serve each model, and how failover is ordered.</summary>
public static class ModelRules
{
    /// <summary>Gateway API allows at most 16 backendRefs per HTTPRoute rule; AI Gateway turns each model into one.</summary>
    public const int MaxBackendsPerModel = 16;

    public const long MaxWeight = 1_000_000;

    /// <summary>Distinct status codes Envoy retries on: more than any policy needs, far fewer than the 240,000 once accepted.</summary>
    public const int MaxStatusCodes = 32;

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var backendKeys = new List<string>(values.Backends.Count);
        foreach (var b in values.Backends)
        {
            backendKeys.Add(b.Key);
        }

        var defined = new HashSet<string>(backendKeys, StringComparer.Ordinal);
        var matchOwners = new Dictionary<string, string>(values.Models.Count, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in values.Models)
        {
            var match = m.ModelMatch ?? m.Key;
            if (FreeText.ModelIdProblem(match) is { } problem)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "modelMatch"), $"{Shown.Value(match)} cannot be matched: it {problem}; give the model id clients send, 1 to {FreeText.MaxModelIdLength} printable characters"));
            }
            else if (m.Enabled && !matchOwners.TryAdd(match, m.Key))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "modelMatch"), $"model id {Shown.Value(match)} is already matched by models.{matchOwners[match]}; each model id may be routed by one model only"));
            }

            var levels = SlotPriorities.Levels(m.Slots);
            CheckSlots(m, backendKeys, defined, levels, context, found);
            if (m.Timeout is { } timeout && !Durations.IsValid(timeout))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "timeout"), $"{Shown.Value(timeout)} is not a duration: {Durations.Problem(timeout)}"));
            }
            else if (m.Timeout is { } zero && Durations.IsZero(zero))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "timeout"), $"{Shown.Value(zero)} is zero, which Envoy reads as no timeout at all; give a positive duration, or remove timeout for upstream's 60s"));
            }

            if (m.Enabled)
            {
                foreach (var s in m.Slots)
                {
                    if (s.Enabled && s.Ref is not null)
                    {
                        used.Add(s.Ref);
                    }
                }
            }
        }

        WarnAboutTwins(values.Backends, found);
        foreach (var b in values.Backends)
        {
            if (!used.Contains(b.Key))
            {
                found.Add(Diagnostic.Warning(b.Path, $"backend {b.Key} is not used by any enabled model; its resources are still created"));
            }
        }

        return found;
    }

    /// <summary>
    /// Two backend keys for the same provider with the same Secret are one backend under two names: as each other's
    /// fallback they fail together (same endpoint, same key, same quota), though they count as two.
    /// </summary>
    private static void WarnAboutTwins(IReadOnlyList<BackendSpec> backends, List<Diagnostic> found)
    {
        if (backends.Count < 2)
        {
            return;
        }

        var seen = new Dictionary<(string?, long?, string?, string?, string?, string?), string>();
        foreach (var b in backends)
        {
            if (b.Hostname is null || b.ApiKeySecretRef is not { Name: { } secret, Key: { } key })
            {
                continue;
            }

            var identity = (b.Hostname, b.Port, b.Prefix, b.Schema, secret, key);
            if (!seen.TryAdd(identity, b.Key))
            {
                found.Add(Diagnostic.Warning(b.Path, $"backends {seen[identity]} and {b.Key} are the same provider ({b.Hostname}:{b.Port}) with the same Secret {secret} (key {key}); they fail together, so as each other's fallback they add no availability"));
            }
        }
    }

    /// <param name="levels">The distinct priorities of the model's enabled slots, lowest first.</param>
    private static void CheckSlots(ModelSpec m, List<string> backendKeys, HashSet<string> defined, List<long> levels, RuleContext context, List<Diagnostic> found)
    {
        var enabled = 0;
        var withRef = 0;
        var distinct = 0;
        foreach (var s in m.Slots)
        {
            if (s.Ref is { } r && !defined.Contains(r))
            {
                var known = backendKeys.Count == 0 ? "none are defined" : "defined: " + string.Join(", ", backendKeys);
                found.Add(Diagnostic.Error(FieldPath.Child(s.Path, "ref"), $"backend {Shown.Value(r)} is not defined under backends{DidYouMean.Suggest(r, backendKeys)}; {known}"));
            }

            if (s.Priority is < 0)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(s.Path, "priority"), $"{s.Priority} is negative; priorities start at 0 (primary) and count up for each fallback level"));
            }

            if (s.ModelNameOverride is { } model && FreeText.ModelIdProblem(model) is { } problem)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(s.Path, "modelNameOverride"), $"{Shown.Value(model)} {problem}; give the model id this backend expects"));
            }

            if (s.Weight is { } w && w is < 0 or > MaxWeight)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(s.Path, "weight"), string.Create(CultureInfo.InvariantCulture, $"{w} is out of range; use 0 to {MaxWeight:N0}")));
            }

            enabled += s.Enabled ? 1 : 0;
            if (s.Enabled && s.Ref is { } slotRef)
            {
                withRef++;
                distinct += IsFirstEnabledWithRef(m.Slots, s, slotRef) ? 1 : 0;
            }
        }

        // Backends, not slots: one backend at three priorities fails all three at once.
        // A slot without a ref is reported on its own; counting it as a repeat would only confuse.
        if (m.Enabled && distinct < context.Policy.MinBackendsPerModel && withRef == enabled && enabled > distinct)
        {
            var names = m.Slots.Where(s => s.Enabled).Select(s => s.Ref!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            found.Add(Diagnostic.Error(SlotsPath(m), $"model {m.Key} has {enabled} enabled slots but {distinct} distinct enabled backend(s) ({string.Join(", ", names)}); at least {context.Policy.MinBackendsPerModel} are required so that it survives the loss of one, and a backend repeated in several slots fails in all of them; add another backend or disable the model with enabled: false"));
        }
        else if (m.Enabled && enabled < context.Policy.MinBackendsPerModel)
        {
            found.Add(Diagnostic.Error(SlotsPath(m), $"model {m.Key} has {enabled} enabled backend(s); at least {context.Policy.MinBackendsPerModel} are required so that it survives the loss of one; add another slot or disable the model with enabled: false"));
        }

        if (enabled > MaxBackendsPerModel)
        {
            found.Add(Diagnostic.Error(SlotsPath(m), $"model {m.Key} has {enabled} enabled backends; an HTTPRoute rule takes at most {MaxBackendsPerModel}"));
        }

        // Negative priorities are reported above; the levels that count start at the first that is not negative.
        var firstLevel = levels.FindIndex(p => p >= 0);
        if (firstLevel >= 0 && levels[^1] != levels.Count - firstLevel - 1)
        {
            var applied = levels.GetRange(firstLevel, levels.Count - firstLevel);
            var compacted = string.Join(", ", applied.Select((_, i) => i));
            found.Add(Diagnostic.Warning(SlotsPath(m), $"priorities {string.Join(", ", applied)} have gaps; Envoy needs contiguous levels, so they are applied as {compacted}"));
        }

        // Grouping allocates, so it runs only for the models it may warn about.
        if (HasEnabledSlotOfWeightZero(m.Slots))
        {
            foreach (var level in m.Slots.Where(s => s.Enabled).GroupBy(s => s.Priority ?? 0).Where(g => g.All(s => s.Weight == 0)))
            {
                found.Add(Diagnostic.Warning(SlotsPath(m), $"every backend at priority {level.Key} has weight 0, so that level receives no traffic"));
            }
        }

        if (enabled > MaxBackendsPerModel || HasRepeatedSlot(m.Slots))
        {
            foreach (var dup in m.Slots.Where(s => s.Enabled).GroupBy(s => (s.Ref, s.ModelNameOverride, s.Priority ?? 0)).Where(g => g.Count() > 1))
            {
                found.Add(Diagnostic.Warning(SlotsPath(m), $"slots {string.Join(", ", dup.Select(s => s.Key))} send the same model to the same backend at the same priority; merge them and use weight instead"));
            }
        }
    }

    private static string SlotsPath(ModelSpec m) => FieldPath.Child(m.Path, "backends");

    /// <summary>Whether <paramref name="slot"/> is the first enabled slot with its ref: counting those counts distinct backends without a set per model.</summary>
    private static bool IsFirstEnabledWithRef(IReadOnlyList<SlotSpec> slots, SlotSpec slot, string slotRef)
    {
        foreach (var s in slots)
        {
            if (ReferenceEquals(s, slot))
            {
                return true;
            }

            if (s.Enabled && string.Equals(s.Ref, slotRef, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasEnabledSlotOfWeightZero(IReadOnlyList<SlotSpec> slots)
    {
        foreach (var s in slots)
        {
            if (s.Enabled && s.Weight == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether two enabled slots send the same model to the same backend at the same priority; for a model's few slots.</summary>
    private static bool HasRepeatedSlot(IReadOnlyList<SlotSpec> slots)
    {
        for (var i = 0; i < slots.Count; i++)
        {
            for (var j = i + 1; j < slots.Count && slots[i].Enabled; j++)
            {
                if (slots[j].Enabled && slots[i].Ref == slots[j].Ref && slots[i].ModelNameOverride == slots[j].ModelNameOverride
                    && (slots[i].Priority ?? 0) == (slots[j].Priority ?? 0))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
