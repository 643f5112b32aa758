using System.Diagnostics;
using System.Globalization;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// Where an evaluation's time goes: each step of <see cref="ValuesEvaluator.Evaluate"/> run on its own, then the whole
/// evaluation, rendering and YAML writing, averaged over the last three quarters of the rounds (the first quarter warms
/// the JIT up), with the bytes each allocates. Coarser than BenchmarkDotNet, but it splits the parse from the rules; the
/// allocated bytes, unlike the times, do not depend on how busy the machine is.
/// </summary>
public static class PhaseTimer
{
    public static void Run(int models, int rounds, TextWriter output, GeneratedLimits limits = GeneratedLimits.None)
    {
        var text = ValuesGenerator.Generate(models, limits);
        var document = new ValuesDocument("team-a", "models", text);
        var context = new RuleContext(ModelsPolicy.Default, document.Namespace, document.Name);
        var families = ValuesEvaluator.RuleFamilies;
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var allocated = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        var warmup = rounds / 4;
        for (var round = 0; round < rounds; round++)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            void Lap(string phase)
            {
                if (round >= warmup)
                {
                    totals[phase] = totals.GetValueOrDefault(phase) + clock.Elapsed.TotalMilliseconds;
                    allocated[phase] = GC.GetAllocatedBytesForCurrentThread() - bytes;
                    if (!order.Contains(phase))
                    {
                        order.Add(phase);
                    }
                }

                bytes = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
            }

            var root = BoundedYamlReader.Read(text, "the values").Root!;
            Lap("parse");
            _ = CredentialRules.Check(root).ToList();
            _ = CredentialRules.CheckComments(text, root);
            Lap("credential scan (scalars and comments)");
            var spec = ValuesBinder.Bind(root, new DiagnosticBag());
            Lap("bind");
            foreach (var family in families)
            {
                _ = family(spec, context).ToList();
            }

            Lap("rule families");
            _ = ModelNormalizer.Normalize(spec, context);
            Lap("normalise");
            _ = ValuesHash.Compute(root);
            Lap("values hash");
            var model = ValuesEvaluator.Evaluate(document).Model!;
            Lap("= ValuesEvaluator.Evaluate, all of the above");
            var objects = Renderer.Render(model).Objects;
            Lap("render");
            _ = YamlWriter.Write(objects.Select(o => o.Manifest));
            Lap("YAML text");
        }

        foreach (var phase in order)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase}: {totals[phase] / (rounds - warmup):F3} ms, {allocated[phase] / 1024.0:F1} KB"));
        }
    }
}
