using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The objects one model becomes: its route, its failover behaviour and its rate limit.</summary>
internal static class ModelObjects
{
    /// <summary>The header AI Gateway fills with the model id from the request body.</summary>
    public const string ModelHeader = "x-ai-eg-model";

    public const string GatewayApiGroup = "gateway.networking.k8s.io";

    public static JsonObject AIGatewayRoute(ValidModel m, GatewayTarget gateway) => Obj(
        ("parentRefs", Arr(Obj(
            ("group", Str(GatewayApiGroup)),
            ("kind", Str("Gateway")),
            ("name", Str(gateway.Name)),
            ("namespace", Str(gateway.Namespace)),
            ("sectionName", Str(gateway.SectionName))))),
        ("rules", Arr(Obj(
            ("matches", Arr(Obj(("headers", Arr(Obj(("type", Str("Exact")), ("name", Str(ModelHeader)), ("value", Str(m.ModelMatch)))))))),
            ("backendRefs", Arr(m.Slots, s => Obj(
                ("name", Str(s.BackendResourceName)),
                ("modelNameOverride", Str(s.ModelNameOverride)),
                ("priority", Int(s.Priority)),
                ("weight", Int(s.Weight))))),
            ("timeouts", m.Timeout is null ? null : Obj(("request", Str(m.Timeout))))))));

    /// <summary>
    /// AI Gateway names the HTTPRoute it generates after the AIGatewayRoute; retrying once per priority level makes
    /// Envoy move to the next level on each failed attempt, which is upstream's provider-fallback pattern.
    /// </summary>
    public static JsonObject BackendTrafficPolicy(ValidModel m, Failover f) => Obj(
        ("targetRefs", Arr(HttpRouteRef(m))),
        ("retry", Obj(
            ("numAttemptsPerPriority", Int(1)),
            ("numRetries", Int(f.NumRetries)),
            ("perRetry", Obj(
                ("backOff", Obj(("baseInterval", Str(f.BackOffBaseInterval)), ("maxInterval", Str(f.BackOffMaxInterval)))),
                ("timeout", Str(f.PerRetryTimeout)))),
            ("retryOn", Obj(
                ("httpStatusCodes", Arr(f.HttpStatusCodes, c => Int(c))),
                ("triggers", Arr(f.Triggers, t => Str(t))))))));

    /// <summary>Kuadrant only attaches to Gateway API routes, so the policy targets the generated HTTPRoute, not the AIGatewayRoute.</summary>
    public static JsonObject RateLimitPolicy(ValidModel m) => Obj(
        ("targetRef", HttpRouteRef(m)),
        ("limits", Limits(m.Limits)));

    private static JsonObject HttpRouteRef(ValidModel m) => Obj(("group", Str(GatewayApiGroup)), ("kind", Str("HTTPRoute")), ("name", Str(m.Key)));

    private static JsonObject Limits(IReadOnlyList<Limit> limits)
    {
        var obj = new JsonObject();
        foreach (var limit in limits)
        {
            obj[limit.Name] = Obj(("rates", Arr(limit.Rates, r => Obj(("limit", Int(r.Limit)), ("window", Str(r.Window))))));
        }

        return obj;
    }
}
