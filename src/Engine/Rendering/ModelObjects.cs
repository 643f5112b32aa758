using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The route a model becomes; its traffic policy and limits are <see cref="TrafficPolicyObjects"/> and <see cref="LimitObjects"/>.</summary>
internal static class ModelObjects
{
    public const string GatewayApiGroup = "gateway.networking.k8s.io";

    /// <summary>The route of model <paramref name="m"/>; it records token counts and costs (<c>llmRequestCosts</c>) when Envoy Gateway's rate-limit rules charge them.</summary>
    public static JsonObject AIGatewayRoute(ValidModel m, ValidatedModel model) => AIGatewayRoute(m, model.Gateway, LimitObjects.NeedsCosts(m, model) ? LimitObjects.LlmRequestCosts(m, model) : null);

    private static JsonObject AIGatewayRoute(ValidModel m, GatewayTarget gateway, JsonArray? costs) => Obj(
        ("parentRefs", Arr(Obj(
            ("group", Str(GatewayApiGroup)),
            ("kind", Str("Gateway")),
            ("name", Str(gateway.Name)),
            ("namespace", Str(gateway.Namespace)),
            ("sectionName", Str(gateway.SectionName))))),
        ("rules", Arr(Obj(
            ("matches", Arr(Obj(("headers", Arr(Obj(("type", Str("Exact")), ("name", Str(WellKnown.ModelHeader)), ("value", Str(m.ModelMatch)))))))),
            ("backendRefs", Arr(m.Slots, s => Obj(
                ("name", Str(s.BackendResourceName)),
                ("modelNameOverride", Str(s.ModelNameOverride)),
                ("priority", Int(s.Priority)),
                ("weight", Int(s.Weight))))),
            ("timeouts", m.Timeout is null ? null : Obj(("request", Str(m.Timeout)))),
            ("streamIdleTimeout", Str(m.StreamIdleTimeout))))),
        ("llmRequestCosts", costs));

    /// <summary>AI Gateway names the HTTPRoute it generates after the AIGatewayRoute; Kuadrant and Envoy Gateway policies attach to it.</summary>
    public static JsonObject HttpRouteRef(ValidModel m) => Obj(("group", Str(GatewayApiGroup)), ("kind", Str("HTTPRoute")), ("name", Str(m.Key)));
}
