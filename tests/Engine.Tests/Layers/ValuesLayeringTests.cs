using AiGatewayModels.Engine.Layers;
using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Layers;

/// <summary>Properties of the merge that the data cases under Cases/layered do not show on their own.</summary>
public sealed class ValuesLayeringTests
{
    private const string Base = """
        shared: &shared {port: 443, host: a}
        one: *shared
        two: *shared
        """;

    [Fact]
    public void A_set_inside_an_aliased_mapping_changes_only_that_use_as_in_Helm()
    {
        // Helm decodes the YAML into separate maps, so an alias is a copy there: one --set changes one place
        var layers = ValuesLayering.Read([new ValuesFile("base.yaml", Base)], ["one.port=8443"], []);

        Assert.True(layers.Ok, string.Join("\n", layers.Diagnostics));
        var root = layers.Root!;
        Assert.Equal("8443", ((YScalar)((YMapping)root.Get("one")!).Get("port")!).Value);
        Assert.Equal("443", ((YScalar)((YMapping)root.Get("two")!).Get("port")!).Value);
        Assert.Equal("443", ((YScalar)((YMapping)root.Get("shared")!).Get("port")!).Value);
    }

    [Fact]
    public void A_value_a_later_file_put_under_an_alias_names_that_file_without_the_aliases_lines()
    {
        var layers = ValuesLayering.Read([new ValuesFile("base.yaml", Base), new ValuesFile("prod.yaml", "one: {port: 8443}\n")], [], []);

        Assert.True(layers.Ok);
        Assert.Equal("from prod.yaml", Provenance.Describe(layers.Root!, "one.port"));
        Assert.Equal("from base.yaml: through the alias at line 2 of the anchor at line 1", Provenance.Describe(layers.Root!, "one.host"));
        Assert.Equal("from base.yaml: through the alias at line 3 of the anchor at line 1", Provenance.Describe(layers.Root!, "two.port"));
    }

    [Fact]
    public void A_null_deletes_only_what_is_there_and_builds_nothing_on_the_way()
    {
        var layers = ValuesLayering.Read([new ValuesFile("base.yaml", Base)], ["absent.deeper.key=null,one.host=null"], []);

        Assert.True(layers.Ok);
        Assert.Null(layers.Root!.Get("absent"));
        Assert.Null(((YMapping)layers.Root.Get("one")!).Get("host"));
    }

    [Fact]
    public void A_root_that_is_not_a_mapping_is_refused_naming_the_file()
    {
        var layers = ValuesLayering.Read([new ValuesFile("base.yaml", Base), new ValuesFile("list.yaml", "- a\n")], [], []);

        Assert.False(layers.Ok);
        Assert.Contains(layers.Diagnostics, d => d.Text == "list.yaml: the values must be a mapping, got a list; every values file given with -f holds a mapping of keys (in list.yaml)");
    }
}
