using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// The traffic extensions of the values: <c>rateLimiting</c>, <c>modelDefaults</c>, and a model's <c>limits</c>,
/// <c>failover</c>, <c>healthCheck</c> and <c>price</c>. Shape and types only, like the rest of the binder.
/// </summary>
internal static class TrafficBinder
{
    public static RateLimitingSpec? RateLimiting(MappingReader root, DiagnosticBag bag)
    {
        var r = root.OpenChild("rateLimiting", ValuesKeys.RateLimiting);
        return r is null ? null : new RateLimitingSpec(r.Path, r.String("engine"), r.String("clientHeader"), Limits(r, bag, "acrossModels"));
    }

    public static ModelDefaultsSpec? ModelDefaults(MappingReader root, DiagnosticBag bag)
    {
        var r = root.OpenChild("modelDefaults", ValuesKeys.ModelDefaults);
        return r is null ? null : new ModelDefaultsSpec(r.Path, Limits(r, bag), Failover(r.OpenChild("failover", ValuesKeys.Failover)), HealthCheck(r), Price(r));
    }

    /// <summary>The <c>price</c> under <paramref name="holder"/> (modelDefaults, a model or a slot); null when absent.</summary>
    public static PriceSpec? Price(MappingReader holder)
    {
        var r = holder.OpenChild("price", ValuesKeys.Price);
        return r is null ? null : new PriceSpec(
            r.Path,
            r.String("currency", required: true),
            r.Decimal("input"),
            r.Decimal("cachedInput"),
            r.Decimal("cacheCreationInput"),
            r.Decimal("output"),
            r.Decimal("reasoning"),
            Written(r, "input"),
            Written(r, "output"));
    }

    /// <summary>Whether <paramref name="key"/> holds a value, even a mistyped one (the binder reports that); an explicit null holds none.</summary>
    private static bool Written(MappingReader r, string key) => r.Node(key) is { } node && !(node is YScalar s && ScalarTyping.IsNull(s));

    /// <summary>The list of limits under <paramref name="holder"/>: null when absent, empty when written as <c>[]</c>.</summary>
    public static List<TrafficLimitSpec>? Limits(MappingReader holder, DiagnosticBag bag, string key = "limits")
    {
        switch (holder.Node(key))
        {
            case null:
                return null;
            case YScalar s when ScalarTyping.IsNull(s):
                bag.Error(holder.ChildPath("limits"), "limits is null (written as ~, null or nothing after the colon); write limits: [] for none, or list the limits, or remove the key for the defaults");
                return null;
            case YSequence many when many.Items.Count > holder.Bound(key):
                bag.Error(holder.ChildPath("limits"), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"holds {many.Items.Count} items; at most {holder.Bound(key)} are allowed here"));
                return null;
            case YSequence seq:
                var limits = new List<TrafficLimitSpec>(seq.Items.Count);
                var listPath = holder.ChildPath(key);
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var path = FieldPath.Index(listPath, i);
                    var r = MappingReader.Open(seq.Items[i], path, bag, ValuesKeys.TrafficLimit);
                    if (r is null)
                    {
                        continue; // reported by Open, a null item included
                    }

                    limits.Add(new TrafficLimitSpec(
                        path,
                        r.String("name"),
                        r.Integer("requests"),
                        r.Integer("tokens"),
                        r.String("tokenType"),
                        r.Duration("window", required: true),
                        r.String("per"),
                        r.String("clientHeader"),
                        Written(r, "requests") || Written(r, "tokens") || Written(r, "budget"),
                        r.Decimal("budget")));
                }

                return limits;
            case var other:
                bag.Error(holder.ChildPath(key), $"expected a list of limits, e.g. [{{requests: 600, window: 1m}}, {{tokens: 100000, window: 24h, per: client}}], got {other.KindName}");
                return null;
        }
    }

    public static FailoverSpec? Failover(MappingReader? r)
    {
        if (r is null)
        {
            return null;
        }

        var retryOn = r.OpenChild("retryOn", ValuesKeys.RetryOn);
        var backOff = r.OpenChild("backOff", ValuesKeys.BackOff);
        return new FailoverSpec(
            r.Path,
            r.Integer("numRetries"),
            retryOn?.IntegerList("httpStatusCodes"),
            retryOn?.StringList("triggers"),
            r.Duration("perRetryTimeout"),
            backOff?.Duration("baseInterval"),
            backOff?.Duration("maxInterval"));
    }

    public static HealthCheckSpec? HealthCheck(MappingReader holder)
    {
        var r = holder.OpenChild("healthCheck", ValuesKeys.HealthCheck);
        if (r is null)
        {
            return null;
        }

        var p = r.OpenChild("passive", ValuesKeys.PassiveHealthCheck);
        return new HealthCheckSpec(r.Path, p is null ? null : new PassiveHealthCheckSpec(
            p.Path,
            p.Integer("consecutive5XxErrors"),
            p.Integer("consecutiveGatewayErrors"),
            p.Duration("interval"),
            p.Duration("baseEjectionTime"),
            p.Integer("maxEjectionPercent")));
    }
}
