namespace AiGatewayModels.Engine.Values;

/// <summary>
/// The keys of the "models" chart's release 0.1.4 that the canonical values write otherwise, with what to write
/// instead. The binder's message for such a key comes from here, and <see cref="ChartConverter"/> rewrites exactly
/// these keys; a test holds the two to the same list. Release 0.1.3's keys are the canonical ones.
/// </summary>
public static class ChartReleases
{
    public const string NextRelease = "0.1.4";

    /// <summary>One 0.1.4-only key: the table it appears in, how 0.1.4 spells it, what to write instead and why.</summary>
    public sealed record ChartKey(KeyTable Table, string Key, string Was, string Write, string Note = "");

    public static readonly IReadOnlyList<ChartKey> Keys =
    [
        new(ValuesKeys.Backend, "securityType", "securityType: APIKey", "apiKeySecretRef: {name: <secret>, key: apiKey}"),
        new(ValuesKeys.Backend, "secretRef", "secretRef", "apiKeySecretRef: {name: <secret>, key: apiKey}"),
        new(ValuesKeys.Backend, "type", "type: GCPCredentials", "gcpCredentials", " alone, which says the same"),
        new(ValuesKeys.Model, "envoyRateLimit", "envoyRateLimit {requests, unit}", "limits: [{requests: <n>, window: <unit>, per: client}]", " with rateLimiting.engine: EnvoyGateway"),
        new(ValuesKeys.Model, "envoyTokenRateLimits", "envoyTokenRateLimits [{tokens, unit}]", "limits: [{tokens: <n>, tokenType: TotalToken, window: <unit>, per: client}]", " with rateLimiting.engine: EnvoyGateway"),
        new(ValuesKeys.Root, "envoyRateLimit", "envoyRateLimit.enabled", "rateLimiting: {engine: EnvoyGateway}", ", or no envoy limits on the models when it was false"),
        new(ValuesKeys.Root, "backendTrafficPolicy", "backendTrafficPolicy", "modelDefaults.failover", ": each model's BackendTrafficPolicy <model>-traffic retries, instead of one policy on the Gateway"),
        new(ValuesKeys.Root, "backendDefaults", "backendDefaults", "x-backendDefaults", ": a block that only holds anchors goes under an x- key"),
        new(ValuesKeys.Root, "rateLimitDefaults", "rateLimitDefaults", "x-rateLimitDefaults", ": a block that only holds anchors goes under an x- key"),
    ];

    /// <summary>
    /// Chart 0.1.4's <c>modelDefaults</c> held anchors of model settings; ours holds <c>limits</c>, <c>failover</c> and
    /// <c>healthCheck</c>. A key of neither kind there is most likely the former.
    /// </summary>
    public static readonly ChartKey ModelDefaultsBlock = new(ValuesKeys.ModelDefaults, "*", "modelDefaults", "x-modelDefaults", " for a block that only holds anchors");

    /// <summary>The message for <paramref name="key"/> in <paramref name="table"/> when it is a 0.1.4 key, else null.</summary>
    public static string? Describe(KeyTable table, string key)
    {
        foreach (var k in Keys)
        {
            if (ReferenceEquals(k.Table, table) && k.Key == key)
            {
                return Message(k);
            }
        }

        return null;
    }

    /// <summary>What an unknown key inside <c>modelDefaults</c> adds to its message.</summary>
    public static string? Hint(KeyTable table) =>
        ReferenceEquals(table, ValuesKeys.ModelDefaults) ? "; if " + Message(ModelDefaultsBlock) : null;

    public static string Message(ChartKey k) => $"this is chart {NextRelease}'s `{k.Was}`; write `{k.Write}`{k.Note} (expander convert rewrites it)";
}
