using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// C# versions of CEL rules that the Cel package cannot evaluate, keyed by the exact rule text in the CRD (a rule
/// changed upstream no longer matches and shows up as unevaluated again). The node passed in is the rule's
/// <c>self</c> after defaulting; a check answers whether the rule holds.
/// </summary>
/// <remarks>
/// The rules here read an optional field that may be absent. Kubernetes evaluates <c>&amp;&amp;</c> and <c>||</c>
/// commutatively: an error in one operand is absorbed when another decides the result, and otherwise the
/// evaluation error rejects the object. The Cel package stops at the first missing field instead, so it cannot
/// answer either way. Found with <see cref="CrdCatalog.ProbeRules"/>.
/// </remarks>
internal static class HandWrittenRules
{
    private const string InferenceGroup = "inference.networking.k8s.io";

    public static IReadOnlyDictionary<string, Func<JsonNode, bool>> ByRuleText { get; } = new Dictionary<string, Func<JsonNode, bool>>(StringComparer.Ordinal)
    {
        // AIGatewayRoute spec.rules[].backendRefs[] (v1alpha1, v1beta1): with the InferencePool group and no kind,
        // `self.kind` is an error that rejects the object.
        ["!has(self.group) || (self.group == 'inference.networking.k8s.io' && self.kind == 'InferencePool')"] =
            self => !Has(self, "group") || (Text(self, "group") == InferenceGroup && Text(self, "kind") == "InferencePool"),

        // Backend spec (EG v1.9): with tls.autoSNIFromEndpointHostname true and no endpoints, `self.endpoints` is an
        // error that rejects the object.
        ["!has(self.tls) || !(has(self.tls.autoSNIFromEndpointHostname) && self.tls.autoSNIFromEndpointHostname) || self.endpoints.all(e, (!has(e.ip) && !has(e.unix)) || has(e.hostname))"] =
            self => !Has(self, "tls")
                || !(JsonScalars.TryBool(self["tls"]?["autoSNIFromEndpointHostname"], out var autoSni) && autoSni)
                || (self["endpoints"] is JsonArray endpoints
                    && endpoints.All(e => (!Has(e, "ip") && !Has(e, "unix")) || Has(e, "hostname"))),
    };

    private static bool Has(JsonNode? node, string key) => node is JsonObject obj && obj.ContainsKey(key);

    private static string? Text(JsonNode node, string key) => JsonScalars.TryString(node[key], out var text) ? text : null;
}
