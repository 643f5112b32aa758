namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Retry settings for the model's BackendTrafficPolicy when neither the model nor <c>modelDefaults</c> sets them. They
/// follow AI Gateway's provider-fallback example (trigger <c>retriable-status-codes</c>), on 500 and 502–504 so that a
/// failing provider falls over. Not on 429: a provider's 429 with that trigger crashes Envoy
/// (envoyproxy/ai-gateway#1855, see <see cref="KnownCrashPatterns"/>), and Envoy Gateway offers no other trigger that
/// retries a 429, so a rate-limited provider's 429 reaches the client until that issue is fixed. No per-retry timeout
/// by default: long generations would be cut off.
/// </summary>
public static class FailoverDefaults
{
    /// <summary>The retry triggers Envoy Gateway's BackendTrafficPolicy accepts.</summary>
    public static readonly IReadOnlyList<string> Triggers =
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ];

    public static readonly IReadOnlyList<long> HttpStatusCodes = [500, 502, 503, 504];

    public static readonly IReadOnlyList<string> DefaultTriggers = ["connect-failure", "retriable-status-codes", "reset"];

    /// <summary>The triggers that retry a try whose time ran out (a per-retry or stream idle timeout), per Envoy's router docs.</summary>
    public static readonly IReadOnlyList<string> TimeoutTriggers = ["5xx", "gateway-error", "reset"];

    public const string BackOffBaseInterval = "100ms";

    public const string BackOffMaxInterval = "10s";

    /// <summary>
    /// Every fallback level of the largest model can be tried: 16 backends at most, so 15 retries. The default (one retry
    /// per fallback level) is never above it.
    /// </summary>
    public const int MaxNumRetries = ModelRules.MaxBackendsPerModel - 1;

    /// <summary>AI Gateway's request timeout when a rule sets none (<c>timeouts.request</c>).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
}
