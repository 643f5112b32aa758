using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Tests.DataDriven;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// <see cref="Renderer.ObjectCount"/> counts what the policy's object ceilings limit without rendering: it must agree with
/// the objects a render writes (and the Secrets the expander projects) for every valid case, or a ceiling would count
/// something else than what the expander applies.
/// </summary>
public sealed class ObjectCountTests
{
    public static TheoryData<string> Cases() => CaseFiles.Theory(CaseFiles.Valid);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_count_is_what_a_render_writes_plus_the_projected_Secrets(string name)
    {
        var model = CaseFiles.Evaluate(CaseFiles.Valid, name).Model;
        Assert.NotNull(model);
        Assert.Equal(Footprint.Of(model).Objects.Count, Renderer.ObjectCount(model));
    }

    [Fact]
    public void The_cases_cover_every_kind_that_the_count_predicts()
    {
        var kinds = CaseFiles.Names(CaseFiles.Valid)
            .Select(n => CaseFiles.Evaluate(CaseFiles.Valid, n).Model!)
            .SelectMany(m => Footprint.Of(m).Objects.Select(o => o.Split(' ')[0]))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ResourceKind.All.Select(k => k.Kind).Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
    }
}
