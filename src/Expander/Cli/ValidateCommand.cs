using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Cli;

/// <summary><c>validate</c>: the findings only, like <c>helm lint</c>; nothing on stdout.</summary>
internal static class ValidateCommand
{
    public sealed record Options(string File, string? Namespace, string? Name, string? Policy);

    public static int Run(Options o, TextReader stdin, TextWriter stderr)
    {
        var policy = InputLoader.LoadPolicy(o.Policy, stdin);
        var (document, inputDiagnostics) = InputLoader.Load(InputLoader.ReadText(o.File, stdin), o.Namespace, o.Name);
        DiagnosticPrinter.Print(inputDiagnostics, stderr);
        if (document is null)
        {
            return ExitCodes.InvalidValues;
        }

        var evaluation = ValuesEvaluator.Evaluate(document, policy);
        DiagnosticPrinter.Print(evaluation.Diagnostics, stderr);
        if (evaluation.Model is not { } model)
        {
            var errors = evaluation.Errors.Count();
            stderr.WriteLine($"{o.File}: invalid: {errors} error(s)");
            return ExitCodes.InvalidValues;
        }

        var objects = Renderer.Render(model).Objects.Count;
        stderr.WriteLine($"{o.File}: valid: {model.Backends.Count} backend(s), {model.Models.Count} enabled model(s), {objects} object(s)");
        return ExitCodes.Valid;
    }
}
