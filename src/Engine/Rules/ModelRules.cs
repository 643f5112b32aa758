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

    /// <summary>The header value limit of HTTPRoute header matches.</summary>
    public const int MaxModelMatchLength = 4096;

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var backendKeys = values.Backends.Select(b => b.Key).ToList();
        var matchOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in values.Models)
        {
            var match = m.ModelMatch ?? m.Key;
            var matchPath = FieldPath.Child(m.Path, "modelMatch");
            if (match.Length is 0 or > MaxModelMatchLength || match.Any(char.IsControl))
            {
                yield return Diagnostic.Error(matchPath, $"{Shown.Value(match)} cannot be matched: give the model id clients send, 1 to {MaxModelMatchLength} printable characters");
            }
            else if (m.Enabled && !matchOwners.TryAdd(match, m.Key))
            {
                yield return Diagnostic.Error(matchPath, $"model id {Shown.Value(match)} is already matched by models.{matchOwners[match]}; each model id may be routed by one model only");
            }

            foreach (var d in CheckSlots(m, backendKeys, context))
            {
                yield return d;
            }

            if (m.Timeout is { } timeout && !Durations.IsValid(timeout))
            {
                yield return Diagnostic.Error(FieldPath.Child(m.Path, "timeout"), $"{Shown.Value(timeout)} is not a duration: {Durations.Problem(timeout)}");
            }

            if (m.Failover is { } failover)
            {
                foreach (var d in CheckFailover(m, failover))
                {
                    yield return d;
                }
            }
        }

        var used = values.Models.Where(m => m.Enabled).SelectMany(m => m.Slots).Where(s => s.Enabled).Select(s => s.Ref).ToHashSet(StringComparer.Ordinal);
        foreach (var b in values.Backends.Where(b => !used.Contains(b.Key)))
        {
            yield return Diagnostic.Warning(b.Path, $"backend {b.Key} is not used by any enabled model; its resources are still created");
        }
    }

    private static IEnumerable<Diagnostic> CheckSlots(ModelSpec m, List<string> backendKeys, RuleContext context)
    {
        var slotsPath = FieldPath.Child(m.Path, "backends");
        foreach (var s in m.Slots)
        {
            if (s.Ref is { } r && !backendKeys.Contains(r))
            {
                var known = backendKeys.Count == 0 ? "none are defined" : "defined: " + string.Join(", ", backendKeys);
                yield return Diagnostic.Error(FieldPath.Child(s.Path, "ref"), $"backend {Shown.Value(r)} is not defined under backends{DidYouMean.Suggest(r, backendKeys)}; {known}");
            }

            if (s.Priority is < 0)
            {
                yield return Diagnostic.Error(FieldPath.Child(s.Path, "priority"), $"{s.Priority} is negative; priorities start at 0 (primary) and count up for each fallback level");
            }

            if (s.Weight is { } w && w is < 0 or > MaxWeight)
            {
                yield return Diagnostic.Error(FieldPath.Child(s.Path, "weight"), string.Create(CultureInfo.InvariantCulture, $"{w} is out of range; use 0 to {MaxWeight:N0}"));
            }
        }

        var enabled = m.Slots.Where(s => s.Enabled).ToList();
        if (m.Enabled && enabled.Count < context.Policy.MinBackendsPerModel)
        {
            yield return Diagnostic.Error(slotsPath, $"model {m.Key} has {enabled.Count} enabled backend(s); at least {context.Policy.MinBackendsPerModel} are required so that it survives the loss of one; add another slot or disable the model with enabled: false");
        }

        if (enabled.Count > MaxBackendsPerModel)
        {
            yield return Diagnostic.Error(slotsPath, $"model {m.Key} has {enabled.Count} enabled backends; an HTTPRoute rule takes at most {MaxBackendsPerModel}");
        }

        var levels = enabled.Select(s => s.Priority ?? 0).Where(p => p >= 0).Distinct().Order().ToList();
        if (levels.Count > 0 && levels[^1] != levels.Count - 1)
        {
            var compacted = string.Join(", ", levels.Select((_, i) => i));
            yield return Diagnostic.Warning(slotsPath, $"priorities {string.Join(", ", levels)} have gaps; Envoy needs contiguous levels, so they are applied as {compacted}");
        }

        foreach (var level in enabled.GroupBy(s => s.Priority ?? 0).Where(g => g.All(s => s.Weight == 0)))
        {
            yield return Diagnostic.Warning(slotsPath, $"every backend at priority {level.Key} has weight 0, so that level receives no traffic");
        }

        var duplicates = enabled.GroupBy(s => (s.Ref, s.ModelNameOverride, s.Priority ?? 0)).Where(g => g.Count() > 1);
        foreach (var dup in duplicates)
        {
            yield return Diagnostic.Warning(slotsPath, $"slots {string.Join(", ", dup.Select(s => s.Key))} send the same model to the same backend at the same priority; merge them and use weight instead");
        }
    }

    private static IEnumerable<Diagnostic> CheckFailover(ModelSpec m, FailoverSpec f)
    {
        if (f.NumRetries is { } n && n is < 0 or > 10)
        {
            yield return Diagnostic.Error(FieldPath.Child(f.Path, "numRetries"), $"{n} is out of range; use 0 to 10");
        }

        var retryOnPath = FieldPath.Child(f.Path, "retryOn");
        for (var i = 0; i < (f.HttpStatusCodes?.Count ?? 0); i++)
        {
            if (f.HttpStatusCodes![i] is < 100 or > 599)
            {
                yield return Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOnPath, "httpStatusCodes"), i), $"{f.HttpStatusCodes[i]} is not an HTTP status code; use 100 to 599");
            }
        }

        for (var i = 0; i < (f.Triggers?.Count ?? 0); i++)
        {
            if (!FailoverDefaults.Triggers.Contains(f.Triggers![i]))
            {
                yield return Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOnPath, "triggers"), i), $"unknown retry trigger {Shown.Value(f.Triggers[i])}{DidYouMean.Suggest(f.Triggers[i], FailoverDefaults.Triggers)}; one of {string.Join(", ", FailoverDefaults.Triggers)}");
            }
        }

        foreach (var (name, value) in new[] { ("perRetryTimeout", f.PerRetryTimeout), ("backOff.baseInterval", f.BackOffBaseInterval), ("backOff.maxInterval", f.BackOffMaxInterval) })
        {
            if (value is not null && !Durations.IsValid(value))
            {
                yield return Diagnostic.Error(f.Path + "." + name, $"{Shown.Value(value)} is not a duration: {Durations.Problem(value)}");
            }
        }

        var levels = m.Slots.Where(s => s.Enabled).Select(s => s.Priority ?? 0).Distinct().Count();
        if (levels < 2)
        {
            yield return Diagnostic.Warning(f.Path, "failover settings have no effect: all enabled backends share one priority; give fallbacks priority: 1");
        }
    }
}
