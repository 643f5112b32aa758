using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using BenchmarkDotNet.Attributes;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// The engine in-process, on generated values of 10, 100 and 1,000 models: what the webhook does per admission
/// (validate), what the expander does per reconcile (validate + render) and what <c>expander render</c> does
/// (validate + render + YAML text).
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private ValuesDocument document = null!;
    private List<JsonObject> manifests = null!;

    [Params(10, 100, 1000)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        document = new ValuesDocument("team-a", "models", ValuesGenerator.Generate(Models));
        var evaluation = ValuesEvaluator.Evaluate(document);
        var model = evaluation.Model ?? throw new InvalidOperationException(
            "generated values are invalid: " + string.Join("; ", evaluation.Errors.Select(e => e.ToString())));
        manifests = Renderer.Render(model).Objects.Select(o => o.Manifest).ToList();
    }

    /// <summary>Parse (bounded YAML reader), bind, every rule family, normalise, hash.</summary>
    [Benchmark(Baseline = true)]
    public Evaluation Validate() => ValuesEvaluator.Evaluate(document);

    [Benchmark]
    public RenderResult ValidateRender() => Renderer.Render(ValuesEvaluator.Evaluate(document).Model!);

    /// <summary>What <c>expander render</c> does between reading the file and writing stdout.</summary>
    [Benchmark]
    public string ValidateRenderYaml() => YamlWriter.Write(Renderer.Render(ValuesEvaluator.Evaluate(document).Model!).Objects.Select(o => o.Manifest));

    /// <summary>The YAML emitter alone, on objects rendered once in setup.</summary>
    [Benchmark]
    public string YamlOnly() => YamlWriter.Write(manifests);
}
