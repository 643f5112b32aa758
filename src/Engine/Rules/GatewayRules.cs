using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>gatewayRef: a valid reference, to a Gateway the policy lets this namespace use.</summary>
public static class GatewayRules
{
    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        if (values.GatewayRef is not { } g)
        {
            yield break;
        }

        if (g.Name is { } name && !KubernetesNames.IsDnsSubdomain(name))
        {
            yield return Diagnostic.Error(FieldPath.Child(g.Path, "name"), $"{Shown.Value(name)} is not a valid Gateway name; use lowercase letters, digits, '-' and '.', at most 253 characters");
        }

        if (g.Namespace is { } ns && !KubernetesNames.IsDnsLabel(ns))
        {
            yield return Diagnostic.Error(FieldPath.Child(g.Path, "namespace"), $"{Shown.Value(ns)} is not a valid namespace; use lowercase letters, digits and '-', at most 63 characters");
        }

        if (g.SectionName is { } section && !KubernetesNames.IsDnsSubdomain(section))
        {
            yield return Diagnostic.Error(FieldPath.Child(g.Path, "sectionName"), $"{Shown.Value(section)} is not a valid listener name; use lowercase letters, digits, '-' and '.'");
        }

        var grants = context.Policy.AllowedGateways;
        if (g.Name is null || grants.Count == 0)
        {
            yield break;
        }

        var gatewayNamespace = g.Namespace ?? context.Namespace;
        var granted = grants.Where(x => NamePattern.Matches(x.Namespaces, context.Namespace)).SelectMany(x => x.Gateways).ToList();
        if (!granted.Exists(p => NamePattern.MatchesQualified(p, gatewayNamespace, g.Name)))
        {
            var allowed = granted.Count == 0 ? "none" : string.Join(", ", granted);
            yield return Diagnostic.Error(g.Path, $"Gateway {gatewayNamespace}/{g.Name} is not allowed for namespace {context.Namespace} by the policy (allowed: {allowed}); use an allowed Gateway or ask the platform team to grant it");
        }
    }
}
