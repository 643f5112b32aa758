namespace AiGatewayModels.Engine.Rendering;

/// <summary>A kind we emit, with the API versions we can write it in, newest first.</summary>
public sealed record ResourceKind(string Kind, string Group, string Plural, IReadOnlyList<string> Versions)
{
    public static readonly ResourceKind Backend = new("Backend", "gateway.envoyproxy.io", "backends", ["v1alpha1"]);
    public static readonly ResourceKind AIServiceBackend = new("AIServiceBackend", "aigateway.envoyproxy.io", "aiservicebackends", ["v1beta1", "v1alpha1"]);
    public static readonly ResourceKind BackendSecurityPolicy = new("BackendSecurityPolicy", "aigateway.envoyproxy.io", "backendsecuritypolicies", ["v1beta1", "v1alpha1"]);
    public static readonly ResourceKind BackendTLSPolicy = new("BackendTLSPolicy", "gateway.networking.k8s.io", "backendtlspolicies", ["v1", "v1alpha3"]);
    public static readonly ResourceKind AIGatewayRoute = new("AIGatewayRoute", "aigateway.envoyproxy.io", "aigatewayroutes", ["v1beta1", "v1alpha1"]);
    public static readonly ResourceKind BackendTrafficPolicy = new("BackendTrafficPolicy", "gateway.envoyproxy.io", "backendtrafficpolicies", ["v1alpha1"]);
    public static readonly ResourceKind RateLimitPolicy = new("RateLimitPolicy", "kuadrant.io", "ratelimitpolicies", ["v1"]);
    public static readonly ResourceKind TokenRateLimitPolicy = new("TokenRateLimitPolicy", "kuadrant.io", "tokenratelimitpolicies", ["v1alpha1"]);
    public static readonly ResourceKind Secret = new("Secret", string.Empty, "secrets", ["v1"]);

    /// <summary>Every kind we generate, in output order: dependencies before the objects that refer to them.</summary>
    public static readonly IReadOnlyList<ResourceKind> All =
        [Backend, AIServiceBackend, BackendSecurityPolicy, BackendTLSPolicy, AIGatewayRoute, BackendTrafficPolicy, RateLimitPolicy, TokenRateLimitPolicy, Secret];

    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;
}
