using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// The one BackendTrafficPolicy of a model (<see cref="ObjectNames.TrafficPolicy"/>): retry and failover, passive health
/// checks and Envoy Gateway's global rate-limit rules, all targeting the HTTPRoute AI Gateway generates.
/// </summary>
internal static class TrafficPolicyObjects
{
    /// <summary>Whether the model needs the policy at all.</summary>
    public static bool Needed(ValidModel m, LimitEngine engine) =>
        m.Failover is not null || m.PassiveHealthCheck is not null || (engine == LimitEngine.EnvoyGateway && m.TrafficLimits.Count > 0);

    /// <remarks>
    /// With limits across models, the policy merges the Gateway's policy of those limits (<c>mergeType:
    /// StrategicMerge</c>: Envoy Gateway keeps the rules of both, by name; without it the model's own policy would
    /// replace the Gateway's and the model's traffic would go uncounted).
    /// </remarks>
    public static JsonObject BackendTrafficPolicy(ValidModel m, LimitEngine engine, bool mergesAcrossModels) => Obj(
        ("targetRefs", Arr(ModelObjects.HttpRouteRef(m))),
        ("mergeType", mergesAcrossModels ? Str("StrategicMerge") : null),
        ("retry", m.Failover is { } f ? Retry(f) : null),
        ("healthCheck", m.PassiveHealthCheck is { } p ? Obj(("passive", Passive(p))) : null),
        ("rateLimit", engine == LimitEngine.EnvoyGateway && m.TrafficLimits.Count > 0 ? LimitObjects.GlobalRateLimit(m) : null));

    /// <summary>
    /// Retrying once per priority level makes Envoy move to the next level on each failed attempt: AI Gateway's
    /// provider-fallback pattern.
    /// </summary>
    private static JsonObject Retry(Failover f) => Obj(
        ("numAttemptsPerPriority", Int(1)),
        ("numRetries", Int(f.NumRetries)),
        ("perRetry", Obj(
            ("backOff", Obj(("baseInterval", Str(f.BackOffBaseInterval)), ("maxInterval", Str(f.BackOffMaxInterval)))),
            ("timeout", Str(f.PerRetryTimeout)))),
        ("retryOn", Obj(
            ("httpStatusCodes", Arr(f.HttpStatusCodes, c => Int(c))),
            ("triggers", Arr(f.Triggers, t => Str(t))))));

    /// <summary>Only what the values set: Envoy Gateway fills in the rest (5 consecutive 5xx, 3s, 30s, 10 %).</summary>
    private static JsonObject Passive(PassiveHealthCheck p) => Obj(
        ("consecutive5XxErrors", Int(p.Consecutive5XxErrors)),
        ("consecutiveGatewayErrors", Int(p.ConsecutiveGatewayErrors)),
        ("interval", Str(p.Interval)),
        ("baseEjectionTime", Str(p.BaseEjectionTime)),
        ("maxEjectionPercent", Int(p.MaxEjectionPercent)));
}
