namespace AiGatewayModels.Engine.Model;

// The values after every rule passed, with defaults applied: what rendering needs and nothing else.
// Collections are sorted by key, the order Helm's templates iterated in, so output is deterministic.

public sealed record ValidatedModel(
    string Namespace,
    string SourceName,
    GatewayTarget Gateway,
    RateLimitSettings RateLimit,
    IReadOnlyList<ValidBackend> Backends,
    IReadOnlyList<ValidModel> Models,
    /// <summary>Every Secret the values name, sorted by backend and path: the one list its consumers read.</summary>
    IReadOnlyList<SecretReference> Secrets,
    LimitEngine LimitEngine = LimitEngine.Kuadrant)
{
    /// <summary>The references whose Secret the expander writes, under the data key AI Gateway reads.</summary>
    public IEnumerable<SecretReference> Projections => Secrets.Where(s => s.IsProjected);

    /// <summary>
    /// <c>rateLimiting.acrossModels</c>, sorted by name: limits counted once across every model here (Envoy Gateway only),
    /// by shared rules of one BackendTrafficPolicy on the Gateway that every model's policy merges.
    /// </summary>
    public IReadOnlyList<TrafficLimit> AcrossModels { get; init; } = [];

    /// <summary>Entries under <c>models</c>, disabled ones included: what the policy's model ceilings count (<see cref="Models"/> holds the enabled ones).</summary>
    public int DeclaredModels { get; init; }
}

public sealed record GatewayTarget(string Name, string? Namespace, string? SectionName);

public sealed record RateLimitSettings(
    bool Enabled,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    IReadOnlyList<Limit> DefaultLimits);

public sealed record Limit(string Name, IReadOnlyList<Rate> Rates);

public sealed record Rate(long Limit, string Window);

public sealed record ValidBackend(
    string Key,
    string ResourceName,
    string Schema,
    string? SchemaVersion,
    string? Prefix,
    string Hostname,
    int Port,
    BackendCredentials Credentials,
    /// <summary>Null for a plaintext backend (only when the policy allows it).</summary>
    string? TlsHostname,
    /// <summary>The IP address when the hostname is an IP literal (only when the policy allows them), in the Backend CRD's form; else null.</summary>
    string? Address = null);

public sealed record ValidModel(
    string Key,
    string ModelMatch,
    IReadOnlyList<ValidSlot> Slots,
    /// <summary>The chart's request limits (<c>rateLimit.limits</c>, <c>rateLimitPolicy.defaults</c> or the built-in default), Kuadrant's.</summary>
    IReadOnlyList<Limit> Limits,
    string? Timeout,
    /// <summary>Null when all slots share one priority: there is nothing to fail over to.</summary>
    Failover? Failover,
    /// <summary>The <c>limits</c> list in force, sorted by name, for <see cref="ValidatedModel.LimitEngine"/>.</summary>
    IReadOnlyList<TrafficLimit> TrafficLimits,
    PassiveHealthCheck? PassiveHealthCheck,
    string? StreamIdleTimeout);

/// <param name="Price">What this slot charges per token (its own price, else the model's, else modelDefaults'); null when unpriced.</param>
public sealed record ValidSlot(string Key, string BackendResourceName, string? ModelNameOverride, int Priority, long? Weight, Price? Price = null);

public sealed record Failover(
    int NumRetries,
    IReadOnlyList<long> HttpStatusCodes,
    IReadOnlyList<string> Triggers,
    string? PerRetryTimeout,
    string BackOffBaseInterval,
    string BackOffMaxInterval);
