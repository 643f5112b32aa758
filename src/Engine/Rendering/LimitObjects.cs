using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// A model's limits in the engine's terms. Kuadrant: the RateLimitPolicy (the chart's limits and the request limits of
/// <c>limits</c>) and the TokenRateLimitPolicy, both on the generated HTTPRoute, with a CEL counter per client header.
/// Envoy Gateway: global rules in the model's BackendTrafficPolicy, each selecting the model by its header and, per
/// client, by a <c>Distinct</c> client header; a token or budget rule charges nothing on the request and the count or
/// cost AI Gateway records in dynamic metadata (<see cref="LlmRequestCosts"/>) on the response. Limits across models
/// are shared rules of one BackendTrafficPolicy on the Gateway (<see cref="AcrossModelsPolicy"/>).
/// </summary>
public static class LimitObjects
{
    /// <summary>The dynamic-metadata namespace AI Gateway's filter writes <c>llmRequestCosts</c> into (<c>AIGatewayFilterMetadataNamespace</c>).</summary>
    public const string MetadataNamespace = "io.envoy.ai_gateway";

    /// <summary>The metadata key a token count is recorded under: the names AI Gateway's docs and examples use (<c>llm_total_token</c>, …).</summary>
    public static string MetadataKey(Counted counted) => counted switch
    {
        Counted.TotalToken => "llm_total_token",
        Counted.InputToken => "llm_input_token",
        Counted.CachedInputToken => "llm_cached_input_token",
        Counted.CacheCreationInputToken => "llm_cache_creation_input_token",
        Counted.OutputToken => "llm_output_token",
        Counted.ReasoningToken => "llm_reasoning_token",
        _ => throw new ArgumentOutOfRangeException(nameof(counted), counted, "requests are not recorded, and a cost is recorded per unit (CostUnit.MetadataKey)"),
    };

    /// <summary>The metadata key a limit charges: its token count's, or its budget unit's.</summary>
    public static string MetadataKey(TrafficLimit l) => l.Counted == Counted.Cost ? l.Unit!.MetadataKey : MetadataKey(l.Counted);

    /// <summary>Kuadrant's well-known attribute for a request header, as a CEL expression (the name is held to a safe alphabet by the rules).</summary>
    public static string KuadrantCounter(string header) => "request.headers['" + header + "']";

    internal static bool NeedsRateLimitPolicy(ValidModel m, LimitEngine engine) =>
        m.Limits.Count > 0 || (engine == LimitEngine.Kuadrant && m.TrafficLimits.Any(l => !l.CountsTokens));

    internal static bool NeedsTokenRateLimitPolicy(ValidModel m, LimitEngine engine) =>
        engine == LimitEngine.Kuadrant && m.TrafficLimits.Any(l => l.CountsTokens);

    /// <summary>Whether the model's route must record token counts or costs: Envoy Gateway token limits and budgets charge them.</summary>
    internal static bool NeedsCosts(ValidModel m, ValidatedModel model) =>
        model.LimitEngine == LimitEngine.EnvoyGateway && Charged(m, model).Any(l => l.CountsTokens);

    /// <summary>Every limit that charges the model's responses: its own and those across models.</summary>
    private static IEnumerable<TrafficLimit> Charged(ValidModel m, ValidatedModel model) => m.TrafficLimits.Concat(model.AcrossModels);

    /// <summary>Kuadrant only attaches to Gateway API routes, so the policy targets the generated HTTPRoute, not the AIGatewayRoute.</summary>
    internal static JsonObject RateLimitPolicy(ValidModel m, LimitEngine engine)
    {
        var limits = new JsonObject();
        foreach (var limit in m.Limits)
        {
            limits[limit.Name] = Obj(("rates", Arr(limit.Rates, r => Obj(("limit", Int(r.Limit)), ("window", Str(r.Window))))));
        }

        if (engine == LimitEngine.Kuadrant)
        {
            AddKuadrantLimits(limits, m.TrafficLimits.Where(l => !l.CountsTokens));
        }

        return Obj(("targetRef", ModelObjects.HttpRouteRef(m)), ("limits", limits));
    }

    /// <summary>Kuadrant's TokenRateLimitPolicy (v1alpha1) counts <c>usage.total_tokens</c> of each response against its limits.</summary>
    internal static JsonObject TokenRateLimitPolicy(ValidModel m)
    {
        var limits = new JsonObject();
        AddKuadrantLimits(limits, m.TrafficLimits.Where(l => l.CountsTokens));
        return Obj(("targetRef", ModelObjects.HttpRouteRef(m)), ("limits", limits));
    }

    private static void AddKuadrantLimits(JsonObject limits, IEnumerable<TrafficLimit> items)
    {
        foreach (var l in items)
        {
            limits[l.Name] = Obj(
                ("rates", Arr(Obj(("limit", Int(l.Limit)), ("window", Str(l.Window))))),
                ("counters", l.ClientHeader is { } h ? Arr(Obj(("expression", Str(KuadrantCounter(h))))) : null));
        }
    }

    /// <summary>
    /// <c>type: Global</c> too, although Envoy Gateway deprecated it in v1.6: releases up to v1.5 require it, and later
    /// ones read it the same way.
    /// </summary>
    internal static JsonObject GlobalRateLimit(ValidModel m) => GlobalRateLimit(m.TrafficLimits, "Exact", m.ModelMatch, shared: false);

    /// <summary>
    /// The BackendTrafficPolicy of the limits across models: attached to the Gateway (its listener, when the values name
    /// one), each limit a <c>shared</c> rule, so that Envoy Gateway keeps one counter for every route the policy applies
    /// to instead of one per route. Each model's own policy merges it (<c>mergeType</c>, see
    /// <see cref="TrafficPolicyObjects"/>); a model without one inherits it. The rules select the values' own models by
    /// a pattern of their ids, so other routes on the Gateway are neither counted nor stopped.
    /// </summary>
    internal static JsonObject AcrossModelsPolicy(ValidatedModel model) => Obj(
        ("targetRefs", Arr(Obj(
            ("group", Str(ModelObjects.GatewayApiGroup)),
            ("kind", Str("Gateway")),
            ("name", Str(model.Gateway.Name)),
            ("sectionName", Str(model.Gateway.SectionName))))),
        ("rateLimit", GlobalRateLimit(model.AcrossModels, "RegularExpression", Rules.ModelIdPattern.Of(model.Models.Select(m => m.ModelMatch)), shared: true)));

    private static JsonObject GlobalRateLimit(IEnumerable<TrafficLimit> limits, string matchType, string models, bool shared) => Obj(
        ("type", Str("Global")),
        ("global", Obj(("rules", Arr(limits, l => Rule(l, matchType, models, shared))))));

    private static JsonObject Rule(TrafficLimit l, string matchType, string models, bool shared)
    {
        var headers = Arr(Obj(("name", Str(WellKnown.ModelHeader)), ("type", Str(matchType)), ("value", Str(models))));
        if (l.ClientHeader is { } h)
        {
            headers.Add((JsonNode)Obj(("name", Str(h)), ("type", Str("Distinct"))));
        }

        return Obj(
            ("clientSelectors", Arr(Obj(("headers", headers)))),
            ("limit", Obj(("requests", Int(l.Limit)), ("unit", Str(l.Window)))),
            ("cost", l.CountsTokens ? Obj(
                ("request", Obj(("from", Str("Number")), ("number", Int(0)))),
                ("response", Obj(("from", Str("Metadata")), ("metadata", Obj(("namespace", Str(MetadataNamespace)), ("key", Str(MetadataKey(l)))))))) : null),
            ("shared", shared ? JsonValue.Create(true) : null));
    }

    /// <summary>
    /// One record per token type the model's limits (and those across models) count, in a fixed order, then one cost
    /// expression (type CEL) per unit a budget is counted in, finest first, with the prices of the model's slots.
    /// </summary>
    internal static JsonArray LlmRequestCosts(ValidModel m, ValidatedModel model)
    {
        var costs = new JsonArray();
        var charged = Charged(m, model).ToList();
        foreach (var counted in Enum.GetValues<Counted>())
        {
            if (counted is not Counted.Requests and not Counted.Cost && charged.Exists(l => l.Counted == counted))
            {
                costs.Add((JsonNode)Obj(("metadataKey", Str(MetadataKey(counted))), ("type", Str(counted.ToString()))));
            }
        }

        var slots = m.Slots.Select((s, i) => (CostExpressions.BackendName(model.Namespace, s.BackendResourceName, m.Key, 0, i), s.Price!)).ToList();
        foreach (var unit in charged.Where(l => l.Counted == Counted.Cost).Select(l => l.Unit!).Distinct().OrderByDescending(u => u.Decimals))
        {
            costs.Add((JsonNode)Obj(("metadataKey", Str(unit.MetadataKey)), ("type", Str("CEL")), ("cel", Str(CostExpressions.For(slots, unit)))));
        }

        return costs;
    }
}
