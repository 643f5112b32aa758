using System.Text;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Tests.Support;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Diagnostics;

/// <summary>
/// A limit on the findings kept (the webhook's): the first ones in the usual order, the rest counted, the verdict the same.
/// </summary>
public sealed class KeptFindingsTests
{
    private static ValuesDocument UnknownKeys(int count)
    {
        var values = new StringBuilder(Specs.Valid);
        for (var i = 0; i < count; i++)
        {
            values.Append('k').Append(i).Append(": 1\n");
        }

        return new ValuesDocument("team-a", "models", values.ToString());
    }

    [Fact]
    public void Past_the_limit_errors_are_counted_not_kept_and_the_kept_ones_are_the_first()
    {
        var all = ValuesEvaluator.Evaluate(UnknownKeys(300));
        var kept = ValuesEvaluator.Evaluate(UnknownKeys(300), kept: 20);
        Assert.Equal(300, all.Errors.Count());
        Assert.Equal(0, all.OmittedErrors);
        Assert.Equal(20, kept.Errors.Count());
        Assert.Equal(280, kept.OmittedErrors);
        Assert.Equal(all.Errors.Take(20).Select(d => d.ToString()), kept.Errors.Select(d => d.ToString()));
        Assert.Null(kept.Model);
    }

    [Fact]
    public void Valid_values_stay_valid_under_a_limit()
    {
        var kept = ValuesEvaluator.Evaluate(UnknownKeys(0), kept: 1);
        Assert.NotNull(kept.Model);
        Assert.Equal(0, kept.OmittedErrors);
    }
}
