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
        var backends = new List<ValidBackend>(values.Backends.Count);
        var resourceNames = new Dictionary<string, string>(values.Backends.Count, StringComparer.Ordinal);
        var secrets = new List<SecretReference>();
        foreach (var b in values.Backends)
        {
            var (credentials, backendSecrets) = CredentialsNormalizer.Normalize(b);
            backends.Add(ToBackend(b, credentials));
            resourceNames.Add(b.Key, b.ResourceName!);
            secrets.AddRange(backendSecrets);
        }

        var engine = TrafficLimits.Engine(values) ?? LimitEngine.Kuadrant;
        var models = new List<ValidModel>(values.Models.Count);
        foreach (var m in values.Models)
        {
            if (m.Enabled)
            {
                models.Add(ToModel(m, values, resourceNames, defaults));
            }
        }

        // Keys are unique within their mapping (the reader refuses repeated keys), so sorting by key alone is deterministic.
        backends.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        models.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        // per backend in the order BackendSecrets names them: sorting by backend key alone keeps that order (a stable sort)
        secrets = [.. secrets.OrderBy(s => s.BackendKey, StringComparer.Ordinal)];
        return new ValidatedModel(
            context.Namespace,
            context.SourceName,
            new GatewayTarget(g.Name!, g.Namespace, g.SectionName),
            new RateLimitSettings(rlp.Enabled, rlp.Labels, rlp.Annotations, defaults),
            backends,
            models,
            secrets,
            engine)
        {
            AcrossModels = ToTrafficLimits(TrafficLimits.AcrossModels(values), values),
            DeclaredModels = values.Models.Count,
        };
    }

    private static List<Limit> ToLimits(IReadOnlyList<LimitSpec> limits)
    {
        var result = new List<Limit>(limits.Count);
        foreach (var l in limits)
        {
            var rates = new Rate[l.Rates.Count];
            for (var i = 0; i < rates.Length; i++)
            {
                rates[i] = new Rate(l.Rates[i].Limit!.Value, l.Rates[i].Window!);
            }

            result.Add(new Limit(l.Name, rates));
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    private static ValidBackend ToBackend(BackendSpec b, BackendCredentials credentials) => new(
        b.Key,
        b.ResourceName!,
        b.Schema!,
        b.SchemaVersion,
        b.Prefix,
        b.Hostname!,
        (int)b.Port!.Value,
        credentials,
        HostnameRules.UsesTls(b) ? b.TlsHostname ?? b.Hostname : null,
        HostnameRules.AddressOf(b.Hostname!));

    private static ValidModel ToModel(ModelSpec m, ValuesSpec values, Dictionary<string, string> resourceNames, IReadOnlyList<Limit> defaults)
    {
        var levels = SlotPriorities.Levels(m.Slots);
        var slots = new List<ValidSlot>(m.Slots.Count);
        foreach (var s in m.Slots)
        {
            if (s.Enabled)
            {
                var price = Prices.ForSlot(s, m, values) is { } written ? Prices.ToPrice(written) : null;
                slots.Add(new ValidSlot(s.Key, resourceNames[s.Ref!], s.ModelNameOverride, levels.BinarySearch(s.Priority ?? 0), s.Weight, price));
            }
        }

        slots.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var failover = levels.Count > 1 ? TrafficPolicyRules.Effective(m.Failover ?? values.ModelDefaults?.Failover, levels.Count) : null;
        IReadOnlyList<Limit> chartLimits = !TrafficLimits.ChartLimitsApply(m, values) ? [] : m.RateLimits is { } own ? ToLimits(own) : defaults;
        var passive = (m.HealthCheck ?? values.ModelDefaults?.HealthCheck)?.Passive is { } p
            ? new PassiveHealthCheck(p.Consecutive5XxErrors, p.ConsecutiveGatewayErrors, p.Interval, p.BaseEjectionTime, p.MaxEjectionPercent)
            : null;
        return new ValidModel(m.Key, m.ModelMatch ?? m.Key, slots, chartLimits, m.Timeout, failover, ToTrafficLimits(TrafficLimits.Effective(m, values), values), passive, m.StreamIdleTimeout);
    }

    /// <summary>
    /// A list of limits in force, sorted by name, each window as written (the rules made sure the engine counts in it);
    /// a budget in the finest unit it fits in, as a whole number of that unit (the rules made sure it is one).
    /// </summary>
    private static List<TrafficLimit> ToTrafficLimits(IReadOnlyList<TrafficLimitSpec> written, ValuesSpec values)
    {
        var result = new List<TrafficLimit>(written.Count);
        foreach (var l in written)
        {
            var counted = TrafficLimits.CountedBy(l)!.Value;
            var header = TrafficLimits.ClientHeader(l, values);
            var name = TrafficLimits.Name(l, counted, header);
            if (l.Budget is { } budget)
            {
                var (unit, limit) = Prices.UnitFor(budget, Prices.Currency(values)!);
                result.Add(new TrafficLimit(name, counted, header, limit!.Value, l.Window!, unit));
            }
            else
            {
                result.Add(new TrafficLimit(name, counted, header, (l.Requests ?? l.Tokens)!.Value, l.Window!));
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }
}
