using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.TestSupport.Cases;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// Every object the engine renders validates against the upstream CRDs offline: structural schema (strict on unknown
/// fields) and the CEL rules the apiserver under test cannot evaluate.
/// </summary>
public class RenderedObjectsMatchCrdsTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        var variants = new[] { "newest", "aigateway-v1alpha1", "btls-v1alpha3", "owned" };
        foreach (var c in ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()))
        {
            foreach (var v in variants)
            {
                data.Add(c.Directory == ValuesCase.ExamplesDir ? "example:" + c.Name : "case:" + c.Name, v);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_rendered_object_validates_against_its_crd(string input, string variant)
    {
        var valuesCase = Find(input);
        var evaluation = ValuesEvaluator.Evaluate(valuesCase.Document, valuesCase.Policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));

        var (options, catalog) = variant switch
        {
            "aigateway-v1alpha1" => (new RenderOptions(ApiVersionSelection.From(["aigateway.envoyproxy.io/v1alpha1"], unmentionedAreServed: true)), CrdCatalog.Default),
            "btls-v1alpha3" => (new RenderOptions(ApiVersionSelection.From(["gateway.networking.k8s.io/v1alpha3"], unmentionedAreServed: true)), CrdCatalog.Experimental),
            "owned" => (new RenderOptions(ApiVersionSelection.Newest, new OwnerConfigMap(valuesCase.Document.Name, "6f1c7d2e-8a45-4b1e-9e0a-2b7c4d9f1a33")), CrdCatalog.Default),
            _ => (RenderOptions.Default, CrdCatalog.Default),
        };
        var rendered = Renderer.Render(evaluation.Model!, options);

        Assert.NotEmpty(rendered.Objects);
        var problems = rendered.Objects
            .SelectMany(o => catalog.Validate(o.Manifest).Select(e => $"{o.Kind.Kind}/{o.Name}: {e}")
                .Concat(catalog.UnevaluatedRules(o.Manifest).Select(r => $"{o.Kind.Kind}/{o.Name}: CEL rule not evaluated: {r}")))
            .ToList();
        Assert.Empty(problems);
    }

    [Fact]
    public void The_standard_channel_does_not_serve_BackendTLSPolicy_v1alpha3()
    {
        var example = ValuesCase.BundledExamples().First();
        var model = ValuesEvaluator.Evaluate(example.Document).Model!;
        var rendered = Renderer.Render(model, new RenderOptions(ApiVersionSelection.From(["gateway.networking.k8s.io/v1alpha3"], unmentionedAreServed: true)));
        var tls = rendered.Objects.First(o => o.Kind == ResourceKind.BackendTLSPolicy);

        Assert.NotEmpty(CrdCatalog.Default.Validate(tls.Manifest));
    }

    private static ValuesCase Find(string input)
    {
        var colon = input.IndexOf(':', StringComparison.Ordinal);
        var all = input[..colon] == "example" ? ValuesCase.BundledExamples() : ValuesCase.ValidCases();
        return all.Single(c => c.Name == input[(colon + 1)..]);
    }
}
