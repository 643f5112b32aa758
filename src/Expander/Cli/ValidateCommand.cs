using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Cli;

/// <summary><c>validate</c>: the findings only, like <c>helm lint</c>; nothing on stdout.</summary>
internal static class ValidateCommand
{
    public sealed record Options(ValuesInput Values, string? Namespace, string? Name, string? Policy);

    public static int Run(Options o, TextReader stdin, TextWriter stderr)
    {
        if (InputLoader.Evaluate(o.Values, o.Namespace, o.Name, o.Policy, stdin, stderr) is not { } loaded)
        {
            return ExitCodes.InvalidValues;
        }

        var evaluation = loaded.Evaluation;

        if (evaluation.Model is not { } model)
        {
            var errors = evaluation.Errors.Count();
            stderr.WriteLine($"{o.Values}: invalid: {errors} error(s)");
            return ExitCodes.InvalidValues;
        }

        var objects = Renderer.Render(model).Objects.Count;
        stderr.WriteLine($"{o.Values}: valid: {model.Backends.Count} backend(s), {model.Models.Count} enabled model(s), {objects} object(s)");
        return ExitCodes.Valid;
    }
}
