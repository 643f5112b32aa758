using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Yaml;

/// <summary>The reader's limits and refusals; big inputs are generated here rather than committed.</summary>
public sealed class BoundedYamlReaderTests
{
    private static AiGatewayModels.Engine.Diagnostics.Diagnostic SingleFailure(YamlReadResult result)
    {
        Assert.False(result.Ok);
        Assert.Null(result.Root);
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void A_document_reads_into_a_tree_with_positions()
    {
        var result = BoundedYamlReader.Read("a:\n  b: [1, \"2\"]\n", "x");
        Assert.True(result.Ok);
        var root = Assert.IsType<YMapping>(result.Root);
        var list = Assert.IsType<YSequence>(Assert.IsType<YMapping>(root.Get("a")).Get("b"));
        Assert.Equal((2, 6), (list.Line, list.Column));
        var two = Assert.IsType<YScalar>(list.Items[1]);
        Assert.True(two.Quoted);
        Assert.False(Assert.IsType<YScalar>(list.Items[0]).Quoted);
    }

    [Fact]
    public void Input_over_the_byte_limit_is_refused_before_parsing()
    {
        var limits = YamlLimits.Default with { MaxBytes = 100 };
        var error = SingleFailure(BoundedYamlReader.Read("a: " + new string('x', 98), "the values", limits));
        Assert.Equal(string.Empty, error.Path);
        Assert.Contains("the values is larger than 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(BoundedYamlReader.Read("a: " + new string('x', 97), "the values", limits).Ok);
    }

    [Fact]
    public void The_byte_limit_counts_UTF8_bytes_not_characters()
    {
        var limits = YamlLimits.Default with { MaxBytes = 10 };
        Assert.True(BoundedYamlReader.Read("a: ééé", "x", limits).Ok); // 9 bytes
        Assert.False(BoundedYamlReader.Read("a: éééé", "x", limits).Ok); // 11 bytes
    }

    [Fact]
    public void Values_of_more_than_one_MiB_are_refused_by_the_evaluator()
    {
        var text = Specs.Valid + "# " + new string('p', YamlLimits.ConfigMapMaxBytes) + "\n";
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", text));
        var error = Assert.Single(evaluation.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal(string.Empty, error.Path);
        Assert.Contains("larger than 1048576 bytes, the most a ConfigMap can hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_exactly_one_MiB_are_read()
    {
        var head = Specs.Valid + "# ";
        var text = head + new string('p', YamlLimits.ConfigMapMaxBytes - Encoding.UTF8.GetByteCount(head) - 1) + "\n";
        Assert.Equal(YamlLimits.ConfigMapMaxBytes, Encoding.UTF8.GetByteCount(text));
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", text));
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Diagnostics));
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void Nesting_is_bounded(int depth, bool ok)
    {
        // The root mapping is level 1; each nested flow list adds one.
        var text = "a: " + new string('[', depth - 2) + "x" + new string(']', depth - 2);
        var result = BoundedYamlReader.Read(text, "the values");
        Assert.Equal(ok, result.Ok);
        if (!ok)
        {
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("a" + string.Concat(Enumerable.Repeat("[0]", depth - 2)), error.Path);
            Assert.Contains("nests deeper than 32 levels", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Deep_nesting_far_beyond_the_limit_fails_fast_without_a_stack_overflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        Assert.Contains("nests deeper than", SingleFailure(BoundedYamlReader.Read(text, "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_stopped_by_the_node_budget()
    {
        var sb = new StringBuilder("l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (var i = 1; i <= 6; i++)
        {
            sb.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        var error = SingleFailure(BoundedYamlReader.Read(sb.ToString(), "the values"));
        Assert.StartsWith("l5", error.Path, StringComparison.Ordinal);
        Assert.Contains("expands to more than 250000 YAML nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_number_of_aliases_is_not_bounded_only_what_they_expand_to()
    {
        // A chart values file uses hundreds of aliases and merge keys; each costs what it brings, not a use of a budget.
        var sb = new StringBuilder("x-base: &base {timeout: 60s, enabled: true}\nmodels:\n");
        for (var i = 0; i < 500; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  m{i}:\n    <<: *base\n    tag: *base\n");
        }

        var result = BoundedYamlReader.Read(sb.ToString(), "x");
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        Assert.True(result.HasOrigins);
        var model = (YMapping)((YMapping)((YMapping)result.Root!).Get("models")!).Get("m499")!;
        Assert.Equal("60s", ((YScalar)model.Get("timeout")!).Value);
        Assert.Equal(YViaKind.Merge, model.OriginOf(model.IndexOf("timeout"))!.Vias.Single().Kind);
        Assert.Equal(YViaKind.Alias, model.OriginOf(model.IndexOf("tag"))!.Vias.Single().Kind);
    }

    [Fact]
    public void A_merge_key_keeps_written_keys_and_the_earlier_of_several_mappings()
    {
        var text = "a: &a {x: a, y: a}\nb: &b {x: b, z: b}\nc:\n  <<: [*a, *b]\n  y: c\n";
        var c = (YMapping)((YMapping)BoundedYamlReader.Read(text, "x").Root!).Get("c")!;
        Assert.Equal(["x", "y", "z"], c.Entries.Select(e => e.Key.Value).Order(StringComparer.Ordinal));
        Assert.Equal("a", ((YScalar)c.Get("x")!).Value);
        Assert.Equal("c", ((YScalar)c.Get("y")!).Value);
        Assert.Equal("b", ((YScalar)c.Get("z")!).Value);
    }

    [Fact]
    public void A_merge_bomb_is_refused_by_the_node_budget_however_few_merge_keys_it_uses()
    {
        var sb = new StringBuilder("l0: &l0 {a: [x, x, x, x, x, x, x, x, x, x]}\n");
        for (var i = 1; i <= 4; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"l{i}: &l{i} {{{string.Join(", ", Enumerable.Range(0, 10).Select(k => $"k{k}: *l{i - 1}"))}}}\n");
        }

        sb.Append("t: {<<: *l4}\n");
        var error = SingleFailure(BoundedYamlReader.Read(sb.ToString(), "the values"));
        Assert.Equal("t.<<", error.Path);
        Assert.Contains("expands to more than 250000 YAML nodes (aliases and merge keys included)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_count_their_expansion_against_the_node_budget()
    {
        var limits = YamlLimits.Default with { MaxNodes = 30 };
        var text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a]\n";
        Assert.True(BoundedYamlReader.Read(text, "x").Ok);
        Assert.Contains("expands to more than 30 YAML nodes", SingleFailure(BoundedYamlReader.Read(text, "x", limits)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_duplicate_key_is_reported_with_both_lines()
    {
        var result = BoundedYamlReader.Read("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "x");
        Assert.False(result.Ok);
        Assert.Equal(["b.c", "a"], result.Diagnostics.Select(d => d.Path));
        Assert.Contains("duplicate key \"c\" at line 4 (first at line 3)", result.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate key \"a\" at line 5 (first at line 1)", result.Diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 1\n---\nb: 2\n", "", "holds more than one YAML document (another starts at line 2)")]
    [InlineData("", "", "is empty")]
    [InlineData("# only a comment\n", "", "is empty")]
    [InlineData("a: !custom x\n", "a", "custom YAML tag \"!custom\" at line 1 is not allowed")]
    [InlineData("a: !custom {b: 1}\n", "a", "YAML tag \"!custom\" is not allowed here")]
    [InlineData("a: !!python/object:os.system x\n", "a", "custom YAML tag")]
    [InlineData("a: *nowhere\n", "a", "YAML alias \"*nowhere\" at line 1 refers to no anchor defined before it")]
    [InlineData("? [a]\n: 1\n", "", "a mapping key at line 1 is not a plain string")]
    [InlineData("a: [1, 2\n", "a[1]", "is not valid YAML at line 2, column 1")]
    [InlineData("a: b: c\n", "a", "is not valid YAML at line 1, column 5")]
    public void Unsafe_or_broken_documents_are_refused(string text, string path, string fragment)
    {
        var error = SingleFailure(BoundedYamlReader.Read(text, "the values"));
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x: {a: 1, b: 2, c: 3\nz: 1\n", "after line 1, column 18")]
    [InlineData("x: [a, b\nz: 1\n", "after line 1, column 6")]
    public void Input_that_trips_the_parser_itself_is_reported_not_thrown(string text, string position)
    {
        // YamlDotNet throws InvalidOperationException, not a YamlException, for these (aaubry/YamlDotNet#541).
        var error = SingleFailure(BoundedYamlReader.Read(text, "the values"));
        Assert.StartsWith("x", error.Path, StringComparison.Ordinal);
        Assert.Equal($"the values is not valid YAML {position}: the parser could not go on; an unclosed [ or {{ or a missing comma is the usual cause", error.Message);
    }

    [Fact]
    public void Standard_tags_are_allowed()
    {
        var result = BoundedYamlReader.Read("a: !!str 443\nb: !!int 5\nc: !!map {d: 1}\n", "x");
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        var root = (YMapping)result.Root!;
        Assert.True(((YScalar)root.Get("a")!).Quoted);
        Assert.True(ScalarTyping.TryInteger((YScalar)root.Get("b")!, out var five) && five == 5);
    }

    [Fact]
    public void An_explicit_document_start_is_one_document() =>
        Assert.True(BoundedYamlReader.Read("---\na: 1\n...\n", "x").Ok);
}
