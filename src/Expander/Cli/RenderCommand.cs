using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Cli;

/// <summary><c>render</c>: the desired objects as YAML on stdout, like <c>helm template</c>; findings on stderr.</summary>
internal static class RenderCommand
{
    public sealed record Options(ValuesInput Values, string? Namespace, string? Name, string? Policy, IReadOnlyList<string> ApiVersions, string? OwnerUid);

    public static int Run(Options o, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (InputLoader.Evaluate(o.Values, o.Namespace, o.Name, o.Policy, stdin, stderr) is not { } loaded)
        {
            return ExitCodes.InvalidValues;
        }

        var (document, evaluation) = loaded;

        if (evaluation.Model is not { } model)
        {
            return ExitCodes.InvalidValues;
        }

        var versions = o.ApiVersions.Count == 0 ? ApiVersionSelection.Newest : ApiVersionSelection.From(o.ApiVersions, unmentionedAreServed: true);
        var owner = o.OwnerUid is null ? null : new OwnerConfigMap(document.Name, o.OwnerUid);
        var result = Renderer.Render(model, new RenderOptions(versions, owner));
        foreach (var kind in result.SkippedKinds)
        {
            stderr.WriteLine($"warning: no {kind.Kind} objects: --api-versions names {kind.Group} but none of {string.Join(", ", kind.Versions.Select(kind.ApiVersion))}");
        }

        foreach (var omitted in result.Omitted)
        {
            stderr.WriteLine($"warning: {omitted}");
        }

        foreach (var p in result.SecretProjections)
        {
            stderr.WriteLine($"note: the expander will project Secret {p.ProjectedName} (data key {p.Purpose.DataKey}) from Secret {p.Name}, key {p.Key}; its data is never printed");
        }

        YamlWriter.Write(result.Objects.Select(x => x.Manifest), stdout);
        return ExitCodes.Valid;
    }
}
