using System.Text.Json;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>YAML documents become JSON objects with YAML 1.2 core-schema scalar types, as the CRDs and examples need.</summary>
public sealed class YamlJsonTests
{
    [Fact]
    public void Reads_each_mapping_document_and_skips_comments_and_empty_documents()
    {
        var objects = YamlJson.ReadObjects("""
            # a comment before the first separator
            ---
            kind: A   # trailing comment
            ---
            ---
            kind: B
            """);
        Assert.Equal(["A", "B"], objects.Select(o => o["kind"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("443", JsonValueKind.Number, "443")]
    [InlineData("'443'", JsonValueKind.String, "\"443\"")]
    [InlineData("\"true\"", JsonValueKind.String, "\"true\"")]
    [InlineData("true", JsonValueKind.True, "true")]
    [InlineData("False", JsonValueKind.False, "false")]
    [InlineData("1.5", JsonValueKind.Number, "1.5")]
    [InlineData("-7", JsonValueKind.Number, "-7")]
    [InlineData("yes", JsonValueKind.String, "\"yes\"")]
    [InlineData("100ms", JsonValueKind.String, "\"100ms\"")]
    [InlineData("1.2.3", JsonValueKind.String, "\"1.2.3\"")]
    [InlineData("~", JsonValueKind.Null, "null")]
    [InlineData("null", JsonValueKind.Null, "null")]
    [InlineData("", JsonValueKind.Null, "null")]
    [InlineData("!!str 5", JsonValueKind.String, "\"5\"")]
    public void Types_scalars(string yaml, JsonValueKind kind, string json)
    {
        var value = YamlJson.ReadObjects("v: " + yaml).Single()["v"];
        Assert.Equal(kind, value?.GetValueKind() ?? JsonValueKind.Null);
        Assert.Equal(json, value?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Block_scalars_are_strings()
    {
        var obj = YamlJson.ReadObjects("v: |\n  line 1\n  line 2\n").Single();
        Assert.Equal("line 1\nline 2\n", obj["v"]!.GetValue<string>());
    }
}
