namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Retry settings for the generated BackendTrafficPolicy when a model does not set them. They follow upstream's
/// provider-fallback example, plus 429 and 502–504 so that a rate-limited or failing provider falls over too.
/// No per-retry timeout by default: long generations would be cut off.
/// </summary>
public static class FailoverDefaults
{
    /// <summary>The retry triggers Envoy Gateway's BackendTrafficPolicy accepts.</summary>
    public static readonly IReadOnlyList<string> Triggers =
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ];

    public static readonly IReadOnlyList<long> HttpStatusCodes = [429, 500, 502, 503, 504];

    public static readonly IReadOnlyList<string> DefaultTriggers = ["connect-failure", "retriable-status-codes", "reset"];

    public const string BackOffBaseInterval = "100ms";

    public const string BackOffMaxInterval = "10s";
}
