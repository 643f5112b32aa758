using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class GatewayRulesTests
{
    private static string WithGateway(string gatewayRef) => "gatewayRef: " + gatewayRef + "\n" + Specs.Backends + Specs.Models;

    [Fact]
    public void A_plain_reference_is_fine() => Specs.NoDiagnostics(Specs.Run(GatewayRules.Check, Specs.Valid));

    [Theory]
    [InlineData("{name: AI-Gateway}", "gatewayRef.name", "not a valid Gateway name")]
    [InlineData("{name: ai-gateway, namespace: gateway.system}", "gatewayRef.namespace", "not a valid namespace")]
    [InlineData("{name: ai-gateway, sectionName: HTTPS}", "gatewayRef.sectionName", "not a valid listener name")]
    public void Names_follow_Kubernetes_rules(string gatewayRef, string path, string fragment) =>
        Specs.SingleError(Specs.Run(GatewayRules.Check, WithGateway(gatewayRef)), path, fragment);

    [Fact]
    public void A_dotted_Gateway_name_and_listener_are_DNS_subdomains() =>
        Specs.NoDiagnostics(Specs.Run(GatewayRules.Check, WithGateway("{name: ai.gateway, namespace: gateway-system, sectionName: https.models}")));

    [Fact]
    public void No_reference_means_nothing_to_judge_here() =>
        Assert.Empty(GatewayRules.Check(Specs.BindWithDiagnostics(Specs.Backends + Specs.Models).Spec, Specs.Context()));

    public static TheoryData<string, string, string, bool> Grants() => new()
    {
        // grant namespaces, grant gateways, gatewayRef, allowed (values live in namespace team-a)
        { "*", "gateway-system/*", "{name: ai-gateway, namespace: gateway-system}", true },
        { "*", "gateway-system/*", "{name: ai-gateway}", false },
        { "team-*", "gateway-system/shared", "{name: shared, namespace: gateway-system}", true },
        { "team-b", "gateway-system/shared", "{name: shared, namespace: gateway-system}", false },
        { "team-a", "ai-gateway", "{name: ai-gateway}", true },
        { "team-a", "ai-gateway", "{name: ai-gateway, namespace: elsewhere}", true },
        { "team-a", "team-a/*", "{name: anything}", true },
        { "team-a", "gateway-system/prod-*", "{name: staging, namespace: gateway-system}", false },
    };

    [Theory]
    [MemberData(nameof(Grants))]
    public void The_policy_grants_Gateways_per_namespace(string namespaces, string gateways, string gatewayRef, bool allowed)
    {
        var policy = ModelsPolicy.Default with { AllowedGateways = [new GatewayGrant(namespaces, [gateways])] };
        var findings = Specs.Run(GatewayRules.Check, WithGateway(gatewayRef), policy, ns: "team-a");
        if (allowed)
        {
            Specs.NoDiagnostics(findings);
        }
        else
        {
            Specs.SingleError(findings, "gatewayRef", "is not allowed for namespace team-a by the policy");
        }
    }

    [Fact]
    public void The_message_lists_what_is_granted_or_says_none()
    {
        var policy = ModelsPolicy.Default with { AllowedGateways = [new GatewayGrant("team-b", ["gateway-system/shared"])] };
        Specs.SingleError(Specs.Run(GatewayRules.Check, Specs.Valid, policy, ns: "team-a"), "gatewayRef", "Gateway team-a/ai-gateway is not allowed for namespace team-a by the policy (allowed: none)");
        var granted = ModelsPolicy.Default with { AllowedGateways = [new GatewayGrant("*", ["gateway-system/a", "gateway-system/b"])] };
        Specs.SingleError(Specs.Run(GatewayRules.Check, Specs.Valid, granted, ns: "team-a"), "gatewayRef", "(allowed: gateway-system/a, gateway-system/b)");
    }
}
