using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Model;

/// <summary>Applies defaults and closes priority gaps. Runs only on values without errors, so every required field is present.</summary>
public static class ModelNormalizer
{
    /// <summary>The chart's default: 100 requests a minute per model.</summary>
    public static readonly IReadOnlyList<Limit> ChartDefaultLimits = [new Limit("default", [new Rate(100, "1m")])];

    public static ValidatedModel Normalize(ValuesSpec values, RuleContext context)
    {
        var g = values.GatewayRef!;
        var rlp = values.RateLimitPolicy;
        var defaults = rlp.DefaultLimits is { } d ? ToLimits(d) : ChartDefaultLimits;
        var backends = values.Backends.OrderBy(b => b.Key, StringComparer.Ordinal).Select(ToBackend).ToList();
        var resourceNames = values.Backends.ToDictionary(b => b.Key, b => b.ResourceName!, StringComparer.Ordinal);
        var models = values.Models.Where(m => m.Enabled).OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => ToModel(m, resourceNames, defaults)).ToList();
        var projections = values.Backends.Where(NameRules.NeedsProjection).OrderBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => new SecretProjection(b.Key, b.Key + NameRules.ApiKeySuffix, b.ApiKeySecretRef!.Name!, b.ApiKeySecretRef.Key!))
            .ToList();
        return new ValidatedModel(
            context.Namespace,
            context.SourceName,
            new GatewayTarget(g.Name!, g.Namespace, g.SectionName),
            new RateLimitSettings(rlp.Enabled, rlp.Labels, rlp.Annotations, defaults),
            backends,
            models,
            projections);
    }

    private static List<Limit> ToLimits(IReadOnlyList<LimitSpec> limits) =>
        limits.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => new Limit(l.Name, l.Rates.Select(r => new Rate(r.Limit!.Value, r.Window!)).ToList())).ToList();

    private static ValidBackend ToBackend(BackendSpec b) => new(
        b.Key,
        b.ResourceName!,
        b.Schema!,
        b.Prefix,
        b.Hostname!,
        (int)b.Port!.Value,
        NameRules.NeedsProjection(b) ? b.Key + NameRules.ApiKeySuffix : b.ApiKeySecretRef!.Name!,
        HostnameRules.UsesTls(b) ? b.TlsHostname ?? b.Hostname : null);

    private static ValidModel ToModel(ModelSpec m, Dictionary<string, string> resourceNames, IReadOnlyList<Limit> defaults)
    {
        var enabled = m.Slots.Where(s => s.Enabled).ToList();
        var levels = enabled.Select(s => s.Priority ?? 0).Distinct().Order().ToList();
        var slots = enabled.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new ValidSlot(s.Key, resourceNames[s.Ref!], s.ModelNameOverride, levels.IndexOf(s.Priority ?? 0), s.Weight))
            .ToList();
        Failover? failover = null;
        if (levels.Count > 1)
        {
            var f = m.Failover;
            failover = new Failover(
                (int)(f?.NumRetries ?? levels.Count - 1),
                f?.HttpStatusCodes ?? FailoverDefaults.HttpStatusCodes,
                f?.Triggers ?? FailoverDefaults.DefaultTriggers,
                f?.PerRetryTimeout,
                f?.BackOffBaseInterval ?? FailoverDefaults.BackOffBaseInterval,
                f?.BackOffMaxInterval ?? FailoverDefaults.BackOffMaxInterval);
        }

        return new ValidModel(m.Key, m.ModelMatch ?? m.Key, slots, m.RateLimits is { } own ? ToLimits(own) : defaults, m.Timeout, failover);
    }
}
