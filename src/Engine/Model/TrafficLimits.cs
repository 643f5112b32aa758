namespace AiGatewayModels.Engine.Model;

/// <summary>Who enforces the <c>limits</c> lists of one set of values (<c>rateLimiting.engine</c>).</summary>
public enum LimitEngine
{
    /// <summary>Kuadrant: RateLimitPolicy for requests, TokenRateLimitPolicy for tokens (the chart's engine).</summary>
    Kuadrant,

    /// <summary>Envoy Gateway's global rate limit: rules in the model's BackendTrafficPolicy, token costs from AI Gateway.</summary>
    EnvoyGateway,
}

/// <summary>
/// What a limit counts: requests, one of AI Gateway's token counts (<c>llmRequestCosts</c> types, same names), or money
/// (<see cref="Cost"/>: a budget, charged what each response cost at the model's prices).
/// </summary>
public enum Counted
{
    Requests,
    TotalToken,
    InputToken,
    CachedInputToken,
    CacheCreationInputToken,
    OutputToken,
    ReasoningToken,
    Cost,
}

/// <summary>
/// One normalised limit: its name (the key of a Kuadrant limit), what it counts, the header that tells clients apart
/// (null: one counter for the whole model), how many per window, and the window in the engine's own form (a Kuadrant
/// duration such as <c>1m</c>, or an Envoy Gateway unit such as <c>Day</c>). A budget's <see cref="Limit"/> is in its
/// <see cref="Unit"/> (micro-units of the currency, or coarser for large budgets).
/// </summary>
public sealed record TrafficLimit(string Name, Counted Counted, string? ClientHeader, long Limit, string Window, CostUnit? Unit = null)
{
    /// <summary>Whether the limit is charged after the response, from what AI Gateway records (tokens or money).</summary>
    public bool CountsTokens => Counted != Counted.Requests;
}

/// <summary>Passive health checking (outlier detection); null fields are left to Envoy Gateway's defaults.</summary>
public sealed record PassiveHealthCheck(
    long? Consecutive5XxErrors,
    long? ConsecutiveGatewayErrors,
    string? Interval,
    string? BaseEjectionTime,
    long? MaxEjectionPercent);
