namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Upper bounds the upstream CRDs put on what one model's objects may hold; the apiserver would reject an object past
/// them, so the rules say so first, at the values' own paths.
/// </summary>
public static class UpstreamCaps
{
    /// <summary>BackendTrafficPolicy <c>rateLimit.global.rules[].clientSelectors</c>: <c>MaxItems=8</c> (every Envoy Gateway release).</summary>
    public const int ClientSelectorsPerRule = 8;

    /// <summary>AIGatewayRoute <c>spec.llmRequestCosts</c>: <c>MaxItems=36</c> (AI Gateway v1.1.0, v1alpha1 and v1beta1).</summary>
    public const int LlmRequestCostsPerRoute = 36;

    /// <summary>BackendTrafficPolicy header match <c>value</c>: <c>MaxLength=1024</c>; the model id is matched in it.</summary>
    public const int HeaderMatchValueLength = 1024;

    /// <summary>
    /// BackendTrafficPolicy <c>rateLimit.global.rules</c>: <c>MaxItems</c> by Envoy Gateway release, from
    /// <c>api/v1alpha1/ratelimit_types.go</c> at each tag: 64 up to v1.5, 128 in v1.6 and v1.7, 256 from v1.8 (v1.9.0's CRD).
    /// </summary>
    public static int GlobalRateLimitRules(Version envoyGateway) => envoyGateway switch
    {
        { Major: > 1 } or { Major: 1, Minor: >= 8 } => 256,
        { Major: 1, Minor: >= 6 } => 128,
        _ => 64,
    };

    /// <summary>Null when <paramref name="count"/> is within <paramref name="cap"/>; else the finding's message.</summary>
    public static string? Exceeded(int count, int cap, string what, string where) =>
        count <= cap ? null : $"{count} {what} exceed the {cap} that {where} may hold";
}
