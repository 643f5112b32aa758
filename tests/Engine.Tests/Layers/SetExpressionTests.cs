using AiGatewayModels.Engine.Layers;
using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Layers;

/// <summary>
/// The <c>--set</c> reader against Helm's pkg/strvals: the typing of typedVal and the paths of the parser (parser_test.go's
/// cases where they apply to values). Syntax errors and path errors are data cases under Cases/layered.
/// </summary>
public sealed class SetExpressionTests
{
    [Theory]
    [InlineData("true", "a boolean", "true")]
    [InlineData("TRUE", "a boolean", "true")]
    [InlineData("fAlSe", "a boolean", "false")]
    [InlineData("null", "null", "null")]
    [InlineData("NULL", "null", "null")]
    [InlineData("0", "an integer", "0")]
    [InlineData("42", "an integer", "42")]
    [InlineData("-5", "an integer", "-5")]
    [InlineData("+5", "an integer", "5")]
    [InlineData("-0", "an integer", "0")]
    [InlineData("007", "a string", "007")]
    [InlineData("00", "a string", "00")]
    [InlineData("1.5", "a string", "1.5")]
    [InlineData("1e3", "a string", "1e3")]
    [InlineData("0x10", "a string", "0x10")]
    [InlineData("9223372036854775808", "a string", "9223372036854775808")]
    [InlineData("yes", "a string", "yes")]
    [InlineData("~", "a string", "~")]
    [InlineData("", "a string", "")]
    [InlineData(" 1", "a string", " 1")]
    public void Values_are_typed_as_strvals_typedVal_types_them(string written, string kind, string value)
    {
        var scalar = SetExpression.Typed(written, asString: false);
        Assert.Equal(kind, scalar.KindName);
        Assert.Equal(value, scalar.Value);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("")]
    public void Set_string_keeps_every_value_a_string(string written)
    {
        var scalar = SetExpression.Typed(written, asString: true);
        Assert.Equal("a string", scalar.KindName);
        Assert.Equal(written, scalar.Value);
    }

    [Fact]
    public void Assignments_paths_escapes_and_lists_read_as_strvals_reads_them()
    {
        var (assignments, error) = SetExpression.Parse(@"a.b\.c=1,list[0][2].name=x\,y,l={1,two,true},e=,x=a=b,", asString: false);
        Assert.Null(error);
        Assert.Equal(5, assignments.Count);
        Assert.Equal(["a", "b.c"], assignments[0].Path.Select(s => s.Key));
        Assert.Equal(@"--set a.b\.c", assignments[0].Layer);
        Assert.Equal("--set list[0][2].name", assignments[1].Layer);
        Assert.Equal("x,y", ((YScalar)assignments[1].Value).Value);
        var list = Assert.IsType<YSequence>(assignments[2].Value);
        Assert.Equal(["an integer", "a string", "a boolean"], list.Items.Select(i => i.KindName));
        Assert.Equal(string.Empty, ((YScalar)assignments[3].Value).Value);
        Assert.Equal("a string", assignments[3].Value.KindName);

        // the value runs to the next comma, = included, as in strvals
        Assert.Equal("a=b", ((YScalar)assignments[4].Value).Value);
    }

    [Fact]
    public void An_empty_list_value_is_one_empty_string_as_in_strvals()
    {
        var (assignments, error) = SetExpression.Parse("a={}", asString: false);
        Assert.Null(error);
        var list = Assert.IsType<YSequence>(Assert.Single(assignments).Value);
        Assert.Equal(string.Empty, ((YScalar)Assert.Single(list.Items)).Value);
    }

    [Fact]
    public void At_most_30_dots_as_strvals_MaxNestedNameLevel()
    {
        var thirty = string.Join('.', Enumerable.Range(0, 31).Select(i => "k" + i)) + "=1";
        Assert.Null(SetExpression.Parse(thirty, asString: false).Error);
        var deeper = "k." + thirty;
        Assert.Contains("nests deeper than 30 levels", SetExpression.Parse(deeper, asString: false).Error, StringComparison.Ordinal);
    }
}
