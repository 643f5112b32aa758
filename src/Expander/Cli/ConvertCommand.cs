using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Layers;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Expander.Cli;

/// <summary>
/// <c>convert</c>: wraps the chart's values.yaml into the annotated ConfigMap, after checking it, and warns where the
/// successor's defaults differ from the chart's. Chart 0.1.3 values are kept as written; chart 0.1.4 values are
/// rewritten into canonical values with the same meaning (<see cref="ChartConverter"/>), each mapping listed on stderr.
/// </summary>
internal static class ConvertCommand
{
    public sealed record Options(ValuesInput Values, string Namespace, string Name, string? Policy);

    public static int Run(Options o, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var policy = InputLoader.LoadPolicy(o.Policy, stdin);
        LayeredValues? layers = null;
        string written;
        if (!o.Values.IsLayered)
        {
            written = InputLoader.ReadText(o.Values.Files[0], stdin);
        }
        else if (InputLoader.Load(o.Values, o.Namespace, o.Name, stdin, stderr) is { Layers: { } loaded } values)
        {
            // several files and --set: the merged values, written out, are what the ConfigMap keeps
            (layers, written) = (loaded, values.Document.ValuesYaml);
        }
        else
        {
            return ExitCodes.InvalidValues;
        }

        var text = layers is { Ok: false } ? written : Canonical(written, stderr);

        // Chart 0.1.4 routes a model or slot without enabled, as we do; only 0.1.3 values change meaning there.
        var release014 = !ReferenceEquals(text, written);

        // Unconverted layers are judged as merged, so that findings name the file or --set of each value.
        var evaluation = layers is not null && !release014
            ? ValuesEvaluator.Evaluate(o.Namespace, o.Name, layers, policy)
            : ValuesEvaluator.Evaluate(new ValuesDocument(o.Namespace, o.Name, text), policy);
        DiagnosticPrinter.Print(release014 ? evaluation.Diagnostics : evaluation.Diagnostics.Concat(SemanticsChanges(text)), stderr);
        if (!evaluation.IsValid)
        {
            return ExitCodes.InvalidValues;
        }

        var configMap = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = o.Name,
                ["namespace"] = o.Namespace,
                ["annotations"] = new JsonObject { [WellKnown.ValuesAnnotation] = "true" },
            },
            ["data"] = new JsonObject { [WellKnown.ValuesDataKey] = AsBlockText(text) },
        };
        YamlWriter.Write([configMap], stdout);
        return ExitCodes.Valid;
    }

    /// <summary>
    /// The values text to keep: as written when it holds no chart 0.1.4 key (comments and anchors stay), else the
    /// canonical values written out, after the list of mappings made. Text that does not read is left to the
    /// evaluation, which says why.
    /// </summary>
    private static string Canonical(string text, TextWriter stderr)
    {
        if (BoundedYamlReader.Read(text, "the values").Root is not YMapping root)
        {
            return text;
        }

        var conversion = ChartConverter.Convert(root);
        if (!conversion.Changed)
        {
            return text;
        }

        foreach (var mapping in conversion.Mappings)
        {
            stderr.WriteLine(mapping.ToString());
        }

        var written = YamlWriter.Write([conversion.Values]);
        return written.StartsWith("---\n", StringComparison.Ordinal) ? written["---\n".Length..] : written;
    }

    /// <summary>
    /// The values as the ConfigMap keeps them: LF line ends (a values file saved with CRLF reads as the same YAML, and a
    /// CR would force the whole text into one double-quoted line instead of a readable literal block) and a final newline.
    /// </summary>
    private static string AsBlockText(string text)
    {
        var lf = text.ReplaceLineEndings("\n");
        return lf.EndsWith('\n') ? lf : lf + "\n";
    }

    private static IEnumerable<Diagnostic> SemanticsChanges(string text)
    {
        if (BoundedYamlReader.Read(text, "the values").Root is not YMapping root || root.Get("models") is not YMapping models)
        {
            yield break;
        }

        foreach (var (modelKey, modelNode) in models.Entries)
        {
            if (modelNode is not YMapping model)
            {
                continue;
            }

            var path = FieldPath.Child("models", modelKey.Value);
            if (model.Get("enabled") is null)
            {
                yield return Diagnostic.Warning(path, "enabled is not set: the chart skipped this model, the expander routes it (enabled defaults to true); add enabled: false to keep it off");
            }

            if (model.Get("backends") is not YMapping slots)
            {
                continue;
            }

            foreach (var (slotKey, slotNode) in slots.Entries)
            {
                if (slotNode is YMapping slot && slot.Get("enabled") is null)
                {
                    yield return Diagnostic.Warning(FieldPath.Child(FieldPath.Child(path, "backends"), slotKey.Value), "enabled is not set: the chart skipped this backend slot, the expander uses it (enabled defaults to true); add enabled: false to keep it off");
                }
            }
        }
    }
}
