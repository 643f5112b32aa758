using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// C# versions of CEL rules that the Cel package cannot evaluate, keyed by the exact rule text in the CRD. The
/// node passed in is the rule's <c>self</c> after defaulting; a check answers whether the rule holds (a rule that
/// would raise an evaluation error in the apiserver rejects the object, so it answers false then).
/// </summary>
internal static class HandWrittenRules
{
    public static IReadOnlyDictionary<string, Func<JsonNode, bool>> ByRuleText { get; } =
        new Dictionary<string, Func<JsonNode, bool>>(StringComparer.Ordinal);
}
