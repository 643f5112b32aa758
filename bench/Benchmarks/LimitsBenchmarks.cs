using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using BenchmarkDotNet.Attributes;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// The engine on values with limits (<see cref="GeneratedLimits"/>: per-client and per-model token and request limits
/// for every model, counted by Kuadrant or by Envoy Gateway): what the webhook does per admission (validate) and what
/// <c>expander render</c> does between reading the file and writing stdout.
/// </summary>
[MemoryDiagnoser]
public class LimitsBenchmarks
{
    private ValuesDocument document = null!;

    [Params(100, 1000)]
    public int Models { get; set; }

    [Params(GeneratedLimits.Kuadrant, GeneratedLimits.EnvoyGateway)]
    public GeneratedLimits Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        document = new ValuesDocument("team-a", "models", ValuesGenerator.Generate(Models, Engine));
        var evaluation = ValuesEvaluator.Evaluate(document);
        if (!evaluation.IsValid || evaluation.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException("generated values draw findings: " + string.Join("; ", evaluation.Diagnostics));
        }
    }

    /// <summary>Parse, bind, every rule family (the limit rules among them), normalise.</summary>
    [Benchmark(Baseline = true)]
    public Evaluation Validate() => ValuesEvaluator.Evaluate(document);

    [Benchmark]
    public string ValidateRenderYaml() => YamlWriter.Write(Renderer.Render(ValuesEvaluator.Evaluate(document).Model!).Objects.Select(o => o.Manifest));
}
