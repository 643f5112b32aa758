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
    IReadOnlyList<SecretProjection> SecretProjections);

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
    string? Prefix,
    string Hostname,
    int Port,
    /// <summary>The Secret the BackendSecurityPolicy reads: the user's own, or the projected copy.</summary>
    string PolicySecretName,
    /// <summary>Null for a plaintext backend (only when the policy allows it).</summary>
    string? TlsHostname);

public sealed record ValidModel(
    string Key,
    string ModelMatch,
    IReadOnlyList<ValidSlot> Slots,
    IReadOnlyList<Limit> Limits,
    string? Timeout,
    /// <summary>Null when all slots share one priority: there is nothing to fail over to.</summary>
    Failover? Failover);

public sealed record ValidSlot(string Key, string BackendResourceName, string? ModelNameOverride, int Priority, long? Weight);

public sealed record Failover(
    int NumRetries,
    IReadOnlyList<long> HttpStatusCodes,
    IReadOnlyList<string> Triggers,
    string? PerRetryTimeout,
    string BackOffBaseInterval,
    string BackOffMaxInterval);

/// <summary>
/// A Secret the expander writes at run time: data key <c>apiKey</c> copied from the user's Secret and key.
/// Only names travel here, never secret data.
/// </summary>
public sealed record SecretProjection(string BackendKey, string TargetName, string SourceName, string SourceKey);
