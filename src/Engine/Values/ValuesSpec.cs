namespace AiGatewayModels.Engine.Values;

// The values as the user wrote them, after shape and type checks. Optional or mistyped fields are null here;
// the binder has already reported what was missing or mistyped, so rules only judge what is present.
// Every keyed entry carries its field path so that rules can name it.

public sealed record ValuesSpec(
    GatewayRefSpec? GatewayRef,
    RateLimitPolicySpec RateLimitPolicy,
    IReadOnlyList<BackendSpec> Backends,
    IReadOnlyList<ModelSpec> Models,
    RateLimitingSpec? RateLimiting = null,
    ModelDefaultsSpec? ModelDefaults = null);

public sealed record GatewayRefSpec(string Path, string? Name, string? Namespace, string? SectionName);

public sealed record RateLimitPolicySpec(
    string Path,
    bool Enabled,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    IReadOnlyList<LimitSpec>? DefaultLimits);

public sealed record LimitSpec(string Name, string Path, IReadOnlyList<RateSpec> Rates);

public sealed record RateSpec(string Path, long? Limit, string? Window);

public sealed record BackendSpec(
    string Key,
    string Path,
    string? ResourceName,
    string? Schema,
    string? Prefix,
    string? Hostname,
    long? Port,
    SecretRefSpec? ApiKeySecretRef,
    string? TlsHostname,
    string? SchemaVersion = null,
    AwsCredentialsSpec? AwsCredentials = null,
    AzureCredentialsSpec? AzureCredentials = null,
    GcpCredentialsSpec? GcpCredentials = null,
    /// <summary>False when the backend is not even a mapping (reported); kept so that models naming it are not misled.</summary>
    bool Bound = true);

/// <summary>A Secret in the ConfigMap's namespace and its data key; a null key means the one AI Gateway reads (only apiKeySecretRef requires it).</summary>
public sealed record SecretRefSpec(string Path, string? Name, string? Key);

public sealed record ModelSpec(
    string Key,
    string Path,
    bool Enabled,
    string? ModelMatch,
    IReadOnlyList<LimitSpec>? RateLimits,
    IReadOnlyList<SlotSpec> Slots,
    string? Timeout,
    FailoverSpec? Failover,
    IReadOnlyList<TrafficLimitSpec>? Limits = null,
    HealthCheckSpec? HealthCheck = null,
    string? StreamIdleTimeout = null,
    PriceSpec? Price = null);

public sealed record SlotSpec(
    string Key,
    string Path,
    bool Enabled,
    string? Ref,
    string? ModelNameOverride,
    long? Priority,
    long? Weight,
    PriceSpec? Price = null);

public sealed record FailoverSpec(
    string Path,
    long? NumRetries,
    IReadOnlyList<long>? HttpStatusCodes,
    IReadOnlyList<string>? Triggers,
    string? PerRetryTimeout,
    string? BackOffBaseInterval,
    string? BackOffMaxInterval);

/// <summary>
/// <c>rateLimiting</c>: which engine enforces the <c>limits</c> lists, the header that names a client, and
/// <c>acrossModels</c>: limits counted once across every model of the values (a client's budget for all models).
/// </summary>
public sealed record RateLimitingSpec(string Path, string? Engine, string? ClientHeader, IReadOnlyList<TrafficLimitSpec>? AcrossModels = null);

/// <summary><c>modelDefaults</c>: what every model gets unless it sets the same key itself.</summary>
public sealed record ModelDefaultsSpec(string Path, IReadOnlyList<TrafficLimitSpec>? Limits, FailoverSpec? Failover, HealthCheckSpec? HealthCheck, PriceSpec? Price = null);

/// <summary>
/// <c>price</c> (of <c>modelDefaults</c>, a model, or one backend slot): what a million tokens of each kind cost, in
/// <c>currency</c>, as exact decimals. Unset kinds are null here; <see cref="Rules.Prices"/> says what they default to.
/// </summary>
public sealed record PriceSpec(
    string Path,
    string? Currency,
    decimal? Input,
    decimal? CachedInput,
    decimal? CacheCreationInput,
    decimal? Output,
    decimal? Reasoning,
    /// <summary>Whether <c>input</c> and <c>output</c> are written at all (even mistyped, which the binder reports).</summary>
    bool WritesInput = true,
    bool WritesOutput = true);

/// <summary>
/// One item of a <c>limits</c> list: what it counts (<c>requests</c>, <c>tokens</c> of a <c>tokenType</c>, or money:
/// a <c>budget</c> in the prices' currency), over which <c>window</c>, and who is counted (<c>per</c>: the model, or
/// each client by <c>clientHeader</c>).
/// </summary>
public sealed record TrafficLimitSpec(
    string Path,
    string? Name,
    long? Requests,
    long? Tokens,
    string? TokenType,
    string? Window,
    string? Per,
    string? ClientHeader,
    /// <summary>Whether <c>requests</c>, <c>tokens</c> or <c>budget</c> is written at all (even mistyped, which the binder reports).</summary>
    bool NamesAmount = true,
    decimal? Budget = null);

/// <summary><c>healthCheck</c>: only passive checks (outlier detection) so far.</summary>
public sealed record HealthCheckSpec(string Path, PassiveHealthCheckSpec? Passive);

public sealed record PassiveHealthCheckSpec(
    string Path,
    long? Consecutive5XxErrors,
    long? ConsecutiveGatewayErrors,
    string? Interval,
    string? BaseEjectionTime,
    long? MaxEjectionPercent);
