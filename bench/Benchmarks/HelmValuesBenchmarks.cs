using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// Reading values written the way Helm users write them (issue 13's target: a 733-line chart values file with about
/// 150 merge keys and 200 aliases, well under a millisecond per 100 lines): <see cref="HelmStyle"/> generates such a
/// file; the baseline is the same values written out without anchors, which the fast block parser reads.
/// </summary>
[MemoryDiagnoser]
public class HelmValuesBenchmarks
{
    private string anchored = null!;
    private string written = null!;

    [GlobalSetup]
    public void Setup()
    {
        (anchored, written) = (HelmStyle(anchors: true), HelmStyle(anchors: false));
        foreach (var text in new[] { anchored, written })
        {
            var result = BoundedYamlReader.Read(text, "the values");
            if (!result.Ok)
            {
                throw new InvalidOperationException("generated values do not read: " + string.Join("; ", result.Diagnostics));
            }
        }

        Console.WriteLine($"// anchored: {Lines(anchored)} lines, {Count(anchored, "<<: ")} merge keys, {Count(anchored, "*")} aliases; written out: {Lines(written)} lines");
    }

    [Benchmark(Baseline = true)]
    public YamlReadResult WrittenOut() => BoundedYamlReader.Read(written, "the values");

    [Benchmark]
    public YamlReadResult Anchored() => BoundedYamlReader.Read(anchored, "the values");

    /// <summary>73 models, each merging a model block and two slot blocks and aliasing a limit (about 733 lines).</summary>
    public static string HelmStyle(bool anchors)
    {
        const int Models = 73;
        var sb = new StringBuilder("gatewayRef:\n  name: ai-gateway\n");
        if (anchors)
        {
            sb.Append("x-defaults:\n  model: &model\n    timeout: 120s\n    enabled: true\n  limit: &limit {requests: 600, window: Minute, per: client}\n")
              .Append("  primary: &primary {priority: 0, weight: 1}\n  fallback: &fallback {priority: 1, weight: 1}\n");
        }

        sb.Append("models:\n");
        for (var i = 0; i < Models; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  model-{i}:\n");
            sb.Append(anchors ? "    <<: *model\n" : "    timeout: 120s\n    enabled: true\n");
            sb.Append(anchors ? "    limits: [*limit]\n" : "    limits:\n    - requests: 600\n      window: Minute\n      per: client\n");
            sb.Append("    backends:\n      primary:\n");
            sb.Append(anchors ? "        <<: *primary\n" : "        priority: 0\n        weight: 1\n");
            sb.Append("        ref: openai\n      fallback:\n");
            sb.Append(anchors ? "        <<: *fallback\n" : "        priority: 1\n        weight: 1\n");
            sb.Append("        ref: anthropic\n");
        }

        return sb.ToString();
    }

    private static int Lines(string text) => text.Count(c => c == '\n');

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
