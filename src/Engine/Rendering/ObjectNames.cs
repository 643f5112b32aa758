namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// The names of the objects a model becomes, in one place. Each kind has one suffix, so that no two models (keys are
/// DNS labels) can claim the same object of a kind.
/// </summary>
public static class ObjectNames
{
    /// <summary>
    /// The one BackendTrafficPolicy of a model: retry and failover, passive health checks and Envoy Gateway's rate-limit
    /// rules together, because Envoy Gateway attaches one BackendTrafficPolicy per target and reports a second one as
    /// conflicted. It targets the HTTPRoute AI Gateway generates (named after the AIGatewayRoute, the model's key).
    /// </summary>
    public static string TrafficPolicy(string modelKey) => modelKey + "-traffic";

    /// <summary>
    /// The name the first release gave the BackendTrafficPolicy of a model with fallbacks. Nothing renders it any more: the
    /// expander prunes such an object (it owns it) once every object of the reconcile, <see cref="TrafficPolicy"/>
    /// included, is applied. Until then Envoy Gateway keeps enforcing the older of the two policies, the old one.
    /// </summary>
    public static string LegacyFailoverPolicy(string modelKey) => modelKey + "-failover";

    /// <summary>
    /// The BackendTrafficPolicy of the limits across models, on the Gateway: named after the Gateway, because Envoy
    /// Gateway attaches one policy to a Gateway, so two values ConfigMaps of one namespace cannot both count across their
    /// models on it (the webhook refuses the second, whose object would have the same name).
    /// </summary>
    public static string AcrossModelsPolicy(string gatewayName) => gatewayName + Rules.BudgetRules.AcrossModelsSuffix;

    /// <summary>The BackendSecurityPolicy of a backend: the one object that names the backend's Secrets.</summary>
    public static string SecurityPolicy(Model.ValidBackend b) => b.Key + (b.Credentials is Model.ApiKeyCredentials ? "-apikey" : "-credentials");

    public static string RateLimitPolicy(string modelKey) => modelKey + "-ratelimit";

    public static string TokenRateLimitPolicy(string modelKey) => modelKey + "-tokenratelimit";
}
