using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// Whatever the writer writes reads back as the same trees: with YamlDotNet's loader (strings stay strings, keys keep
/// their order) and with the engine's own reader (the fast block parser where it applies). Unpaired surrogates are
/// left out: no YAML text can hold one.
/// </summary>
public sealed class YamlWriterRoundTripTests
{
    [Fact]
    public void Handwritten_tricky_strings_read_back_in_every_place() =>
        AssertReadsBack(TrickyStrings.Handwritten.Where(s => !TrickyStrings.HasUnpairedSurrogate(s)));

    [Fact]
    public void Seeded_random_strings_read_back_in_every_place() =>
        AssertReadsBack(TrickyStrings.Random(seed: 7, count: 6000, loneSurrogates: false));

    private static void AssertReadsBack(IEnumerable<string> strings)
    {
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var s in strings)
        {
            checkedCount++;
            JsonObject[] documents = [StringPlacements.Document(s), StringPlacements.Document(s)];
            var yaml = YamlWriter.Write(documents);
            var single = YamlWriter.Write(documents.Take(1));
            if ((YamlTreeComparison.YamlDotNetDifference(yaml, documents) ?? YamlTreeComparison.EngineReaderDifference(single, documents[0])) is { } difference)
            {
                problems.Add($"{YamlTreeComparison.Show(s)}: {difference}\n  written: {YamlTreeComparison.Show(single)}");
            }
        }

        Assert.True(checkedCount > 100, checkedCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(problems.Count == 0, $"{problems.Count} of {checkedCount} strings did not read back, e.g.\n{string.Join("\n", problems.Take(5))}");
    }
}
