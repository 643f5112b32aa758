using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>A valid object broken by one edit, and a fragment (path and message) of an error that must report it.</summary>
internal sealed record InvalidCase(string Baseline, Action<JsonObject> Edit, params string[] ExpectedErrors)
{
    /// <summary>Checks the unbroken object is valid, then that each expected error is reported for the broken one.</summary>
    public void AssertCaught(CrdCatalog catalog)
    {
        var valid = CrdTestObjects.Valid(Baseline);
        Assert.True(catalog.Validate(valid).Count == 0, $"the {Baseline} baseline must be valid:\n{string.Join("\n", catalog.Validate(valid))}");

        var broken = CrdTestObjects.With(Baseline, Edit);
        var result = catalog.Check(broken);
        foreach (var expected in ExpectedErrors)
        {
            Assert.True(
                result.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
                $"expected an error containing \"{expected}\"; got:\n{string.Join("\n", result.Errors)}");
        }

        Assert.True(result.UnevaluatedRules.Count == 0, string.Join("\n", result.UnevaluatedRules));
    }

    public static TheoryData<string> NamesOf(IReadOnlyDictionary<string, InvalidCase> cases) => new(cases.Keys);
}
