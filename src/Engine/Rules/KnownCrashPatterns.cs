namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Retry settings known to crash the data plane, each with the upstream issue it comes from, so that a rule can be
/// lifted when upstream fixes it (and the docs' table in README "Failover" with it). The built-in defaults never match
/// one (a test holds them to that); settings a user writes that match one are denied, or only warned about when the
/// policy says <c>knownCrashPatterns: Warn</c> (for a data plane known to carry the fix).
/// </summary>
public static class KnownCrashPatterns
{
    /// <param name="Id">A short name, for tests and logs.</param>
    /// <param name="Source">The upstream issue that reports it; lift the pattern when that issue is fixed in the releases in use.</param>
    /// <param name="Matches">Whether effective retry settings (status codes, triggers) match the pattern.</param>
    /// <param name="Problem">What happens, for the message.</param>
    /// <param name="Fix">What to change, for the message.</param>
    public sealed record Pattern(string Id, string Source, Func<IReadOnlyList<long>, IReadOnlyList<string>, bool> Matches, string Problem, string Fix);

    /// <summary>
    /// envoyproxy/ai-gateway#1855 (open since 2026-02-12, reported on Envoy 1.36.3): a BackendTrafficPolicy whose retry has
    /// the trigger <c>retriable-status-codes</c> and status 429 makes Envoy crash with SIGSEGV (null address) when a
    /// provider answers 429, instead of failing over. Retrying on 500/502/503/504 with the same trigger is what AI
    /// Gateway's own provider-fallback example and end-to-end tests do, so only 429 is the known pattern. Envoy's
    /// envoyproxy/envoy#41879 (a crash in the router when an upstream filter such as AI Gateway's ext_proc stops a
    /// retried response's headers) may be the fix; until #1855 is closed, the pattern stays.
    /// </summary>
    public static readonly Pattern RetriableStatusCode429 = new(
        "retriable-status-codes-429",
        "https://github.com/envoyproxy/ai-gateway/issues/1855",
        (codes, triggers) => codes.Contains(429) && triggers.Contains("retriable-status-codes"),
        "retrying on status 429 with the trigger retriable-status-codes crashes Envoy (SIGSEGV) when a provider answers 429, instead of failing over (envoyproxy/ai-gateway#1855)",
        "remove 429 from retryOn.httpStatusCodes: a provider's 429 then reaches the client instead of the next priority");

    public static readonly IReadOnlyList<Pattern> All = [RetriableStatusCode429];

    /// <summary>The patterns that retry settings with these effective status codes and triggers match.</summary>
    public static IEnumerable<Pattern> Matching(IReadOnlyList<long> codes, IReadOnlyList<string> triggers) =>
        All.Where(p => p.Matches(codes, triggers));
}
