using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// A model's limits in the engine's terms. Kuadrant: the RateLimitPolicy (the chart's limits and the request limits of
/// <c>limits</c>) and the TokenRateLimitPolicy, both on the generated HTTPRoute, with a CEL counter per client header.
/// Envoy Gateway: global rules in the model's BackendTrafficPolicy, each selecting the model by its header and, per
/// client, by a <c>Distinct</c> client header; a token rule charges nothing on the request and the count AI Gateway
/// records in dynamic metadata (<see cref="LlmRequestCosts"/>) on the response.
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
        _ => throw new ArgumentOutOfRangeException(nameof(counted), counted, "requests are not recorded as a cost"),
    };

    /// <summary>Kuadrant's well-known attribute for a request header, as a CEL expression (the name is held to a safe alphabet by the rules).</summary>
    public static string KuadrantCounter(string header) => "request.headers['" + header + "']";

    internal static bool NeedsRateLimitPolicy(ValidModel m, LimitEngine engine) =>
        m.Limits.Count > 0 || (engine == LimitEngine.Kuadrant && m.TrafficLimits.Any(l => !l.CountsTokens));

    internal static bool NeedsTokenRateLimitPolicy(ValidModel m, LimitEngine engine) =>
        engine == LimitEngine.Kuadrant && m.TrafficLimits.Any(l => l.CountsTokens);

    /// <summary>Whether the model's route must record token counts: Envoy Gateway token limits charge them.</summary>
    internal static bool NeedsCosts(ValidModel m, LimitEngine engine) =>
        engine == LimitEngine.EnvoyGateway && m.TrafficLimits.Any(l => l.CountsTokens);

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
    internal static JsonObject GlobalRateLimit(ValidModel m) => Obj(
        ("type", Str("Global")),
        ("global", Obj(("rules", Arr(m.TrafficLimits, l => Rule(m, l))))));

    private static JsonObject Rule(ValidModel m, TrafficLimit l)
    {
        var headers = Arr(Obj(("name", Str(WellKnown.ModelHeader)), ("type", Str("Exact")), ("value", Str(m.ModelMatch))));
        if (l.ClientHeader is { } h)
        {
            headers.Add((JsonNode)Obj(("name", Str(h)), ("type", Str("Distinct"))));
        }

        return Obj(
            ("clientSelectors", Arr(Obj(("headers", headers)))),
            ("limit", Obj(("requests", Int(l.Limit)), ("unit", Str(l.Window)))),
        ("cost", l.CountsTokens ? Obj(
            ("request", Obj(("from", Str("Number")), ("number", Int(0)))),
            ("response", Obj(("from", Str("Metadata")), ("metadata", Obj(("namespace", Str(MetadataNamespace)), ("key", Str(MetadataKey(l.Counted)))))))) : null));
    }

    /// <summary>One cost per token type the model's limits count, in a fixed order.</summary>
    internal static JsonArray LlmRequestCosts(ValidModel m)
    {
        var costs = new JsonArray();
        foreach (var counted in Enum.GetValues<Counted>())
        {
            if (counted != Counted.Requests && m.TrafficLimits.Any(l => l.Counted == counted))
            {
                costs.Add((JsonNode)Obj(("metadataKey", Str(MetadataKey(counted))), ("type", Str(counted.ToString()))));
            }
        }

        return costs;
    }
}
