using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Facts about the <c>limits</c> lists that the rules and normalising share, so that both read the values the same way:
/// the engine in force, each model's effective list, what an item counts, and the name it gets.
/// </summary>
public static class TrafficLimits
{
    /// <summary>The token types a limit may count: AI Gateway's <c>llmRequestCosts</c> types other than CEL.</summary>
    public static readonly IReadOnlyList<string> TokenTypes =
        ["TotalToken", "InputToken", "CachedInputToken", "CacheCreationInputToken", "OutputToken", "ReasoningToken"];

    public static readonly IReadOnlyList<string> Engines = [nameof(LimitEngine.Kuadrant), nameof(LimitEngine.EnvoyGateway)];

    public static readonly IReadOnlyList<string> PerValues = ["model", "client"];

    /// <summary>The engine the values choose (Kuadrant when unset); null when <c>rateLimiting.engine</c> names none.</summary>
    public static LimitEngine? Engine(ValuesSpec values) => values.RateLimiting?.Engine switch
    {
        null => LimitEngine.Kuadrant,
        nameof(LimitEngine.Kuadrant) => LimitEngine.Kuadrant,
        nameof(LimitEngine.EnvoyGateway) => LimitEngine.EnvoyGateway,
        _ => null,
    };

    /// <summary>The list that applies to a model: its own (even when empty), else <c>modelDefaults.limits</c>, else none.</summary>
    public static IReadOnlyList<TrafficLimitSpec> Effective(ModelSpec m, ValuesSpec values) =>
        m.Limits ?? values.ModelDefaults?.Limits ?? [];

    /// <summary>
    /// Whether the chart's keys give an enabled model a Kuadrant RateLimitPolicy: with <c>rateLimitPolicy.enabled</c>, its
    /// own <c>rateLimit.limits</c> or <c>rateLimitPolicy.defaults</c>, else the chart's built-in 100 requests a minute, but
    /// the built-in default only while the model's <c>limits</c> count no requests (then it has request limits already).
    /// </summary>
    public static bool ChartLimitsApply(ModelSpec m, ValuesSpec values) =>
        values.RateLimitPolicy.Enabled && (m.RateLimits is not null || values.RateLimitPolicy.DefaultLimits is not null || !CountsRequests(Effective(m, values)));

    public static bool CountsRequests(IReadOnlyList<TrafficLimitSpec> limits)
    {
        foreach (var l in limits)
        {
            if (l.Requests is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>rateLimiting.acrossModels</c>: limits counted once across every model; empty when none are written.</summary>
    public static IReadOnlyList<TrafficLimitSpec> AcrossModels(ValuesSpec values) => values.RateLimiting?.AcrossModels ?? [];

    /// <summary>How many of <c>requests</c>, <c>tokens</c> and <c>budget</c> an item writes (a valid one writes one).</summary>
    public static int Amounts(TrafficLimitSpec l) => (l.Requests is null ? 0 : 1) + (l.Tokens is null ? 0 : 1) + (l.Budget is null ? 0 : 1);

    /// <summary>What an item counts; null while it is not yet clear (two or none of requests, tokens and budget, an unknown token type).</summary>
    public static Counted? CountedBy(TrafficLimitSpec l)
    {
        if (Amounts(l) != 1)
        {
            return null;
        }

        if (l.Requests is not null || l.Budget is not null)
        {
            return l.TokenType is not null ? null : l.Requests is not null ? Counted.Requests : Counted.Cost;
        }

        return l.TokenType switch
        {
            null => Counted.TotalToken,
            _ when TokenTypes.Contains(l.TokenType) => Enum.Parse<Counted>(l.TokenType),
            _ => null,
        };
    }

    /// <summary>The client header of an item: its own, else <c>rateLimiting.clientHeader</c>, else x-user-id; null when it counts per model.</summary>
    public static string? ClientHeader(TrafficLimitSpec l, ValuesSpec values) =>
        l.Per == "client" || (l.Per is null && l.ClientHeader is not null)
            ? l.ClientHeader ?? values.RateLimiting?.ClientHeader ?? ClientHeaders.Default
            : null;

    /// <summary>
    /// The item's name: its own, else one made of what it counts, who is counted and the window
    /// (<c>total-tokens-per-x-user-id-day</c>, <c>requests-per-model-1m</c>), the key of the Kuadrant limit.
    /// </summary>
    public static string Name(TrafficLimitSpec l, Counted counted, string? clientHeader) =>
        l.Name ?? $"{CountedName(counted)}-per-{clientHeader ?? "model"}-{l.Window?.ToLowerInvariant()}";

    private static string CountedName(Counted counted) => counted switch
    {
        Counted.Requests => "requests",
        Counted.TotalToken => "total-tokens",
        Counted.InputToken => "input-tokens",
        Counted.CachedInputToken => "cached-input-tokens",
        Counted.CacheCreationInputToken => "cache-creation-input-tokens",
        Counted.OutputToken => "output-tokens",
        Counted.ReasoningToken => "reasoning-tokens",
        _ => "budget",
    };
}
