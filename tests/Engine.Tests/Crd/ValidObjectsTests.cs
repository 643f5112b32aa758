using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>The hand-written valid objects the error tests start from are valid, with every applicable rule evaluated.</summary>
public sealed class ValidObjectsTests
{
    public static TheoryData<string> Names() => new(CrdTestObjects.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Is_valid_with_no_unevaluated_rule(string name)
    {
        var result = CrdCatalog.Default.Check(CrdTestObjects.Valid(name));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.True(result.UnevaluatedRules.Count == 0, string.Join("\n", result.UnevaluatedRules));
    }

    [Theory]
    [InlineData(CrdTestObjects.AIGatewayRoute)]
    [InlineData(CrdTestObjects.AIServiceBackend)]
    [InlineData(CrdTestObjects.BackendSecurityPolicy)]
    public void Is_valid_as_the_served_deprecated_v1alpha1_too(string name)
    {
        var obj = CrdTestObjects.With(name, o => o["apiVersion"] = "aigateway.envoyproxy.io/v1alpha1");
        var result = CrdCatalog.Default.Check(obj);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.UnevaluatedRules);
    }

    [Theory]
    [InlineData(CrdTestObjects.AIGatewayRoute, 7)]
    [InlineData(CrdTestObjects.AIServiceBackend, 2)]
    [InlineData(CrdTestObjects.BackendSecurityPolicy, 7)]
    [InlineData(CrdTestObjects.Backend, 4)]
    [InlineData(CrdTestObjects.BackendTrafficPolicy, 8)]
    [InlineData(CrdTestObjects.BackendTLSPolicy, 4)]
    [InlineData(CrdTestObjects.RateLimitPolicy, 8)]
    public void Evaluates_the_rules_of_its_present_nodes(string name, int atLeast)
    {
        var result = CrdCatalog.Default.Check(CrdTestObjects.Valid(name));
        Assert.True(result.RulesEvaluatedByCel + result.RulesEvaluatedByHand >= atLeast,
            $"{result.RulesEvaluatedByCel} by CEL + {result.RulesEvaluatedByHand} by hand");
    }

    [Fact]
    public void Validating_does_not_change_the_object()
    {
        var obj = CrdTestObjects.Valid(CrdTestObjects.AIGatewayRoute);
        var before = obj.ToJsonString();
        _ = CrdCatalog.Default.Validate(obj);
        Assert.Equal(before, obj.ToJsonString());
    }
}
