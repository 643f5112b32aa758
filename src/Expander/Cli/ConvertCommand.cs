using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Expander.Cli;

/// <summary>
/// <c>convert</c>: wraps the chart's values.yaml, unchanged, into the annotated ConfigMap, after checking it, and
/// warns where the successor's defaults differ from the chart's.
/// </summary>
internal static class ConvertCommand
{
    public sealed record Options(string File, string Namespace, string Name, string? Policy);

    public static int Run(Options o, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var policy = InputLoader.LoadPolicy(o.Policy, stdin);
        var text = InputLoader.ReadText(o.File, stdin);
        var document = new ValuesDocument(o.Namespace, o.Name, text);
        var evaluation = ValuesEvaluator.Evaluate(document, policy);
        DiagnosticPrinter.Print(evaluation.Diagnostics.Concat(SemanticsChanges(text)), stderr);
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

    /// <summary>The chart rendered a model or slot only with enabled: true; here a missing enabled means enabled.</summary>
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
