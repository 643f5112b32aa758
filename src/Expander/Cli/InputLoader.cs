using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Expander.Cli;

/// <summary>Reads <c>-f</c> (a values ConfigMap manifest or a raw values file) and <c>--policy</c>.</summary>
internal static class InputLoader
{
    public const string DefaultName = "models";

    // A manifest wraps at most a ConfigMap's worth of values; anything far larger is refused before it is read whole.
    private const long MaxFileBytes = 2L * YamlLimits.ConfigMapMaxBytes;

    public static string ReadText(string path, TextReader stdin)
    {
        if (path == "-")
        {
            var buffer = new char[MaxFileBytes + 1];
            var read = stdin.ReadBlock(buffer, 0, buffer.Length);
            return read > MaxFileBytes ? throw new UsageException("standard input is larger than 2 MiB; values must fit into a ConfigMap (1 MiB)") : new string(buffer, 0, read);
        }

        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UsageException($"{path}: no such file");
            }

            return info.Length > MaxFileBytes
                ? throw new UsageException($"{path} is larger than 2 MiB; values must fit into a ConfigMap (1 MiB)")
                : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: {ex.Message}");
        }
    }

    /// <summary>
    /// A ConfigMap manifest brings its own namespace and name; a raw values file takes them from the options.
    /// Returns null and the reasons when the manifest itself is unusable.
    /// </summary>
    public static (ValuesDocument? Document, IReadOnlyList<Diagnostic> Diagnostics) Load(string text, string? ns, string? name)
    {
        // kind: ConfigMap cannot be spelled without the word or an escape; raw values skip this first full parse.
        var parsed = text.Contains("ConfigMap", StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
            ? BoundedYamlReader.Read(text, "the input")
            : null;
        if (parsed is { Ok: true } && ConfigMapReader.IsConfigMapManifest(parsed.Root!))
        {
            var (doc, diagnostics) = ConfigMapReader.Read(parsed.Root!);
            if (doc is not null)
            {
                if (ns is not null && ns != doc.Namespace)
                {
                    throw new UsageException($"--namespace {ns} conflicts with the ConfigMap's namespace {doc.Namespace}; drop the option or edit metadata.namespace");
                }

                if (name is not null && name != doc.Name)
                {
                    throw new UsageException($"--name {name} conflicts with the ConfigMap's name {doc.Name}; drop the option or edit metadata.name");
                }
            }

            return (doc, diagnostics);
        }

        // Not a manifest (or not even YAML): treat it as raw values, whose evaluation reports any YAML problem with its position.
        return (new ValuesDocument(ns ?? ConfigMapReader.DefaultNamespace, name ?? DefaultName, text), []);
    }

    /// <summary>
    /// The path every command takes: read the policy and the input, evaluate, print every finding. Null when the
    /// input is not even a usable values document.
    /// </summary>
    public static (ValuesDocument Document, Evaluation Evaluation)? Evaluate(
        string file, string? ns, string? name, string? policyPath, TextReader stdin, TextWriter stderr)
    {
        var policy = LoadPolicy(policyPath, stdin);
        var (document, inputDiagnostics) = Load(ReadText(file, stdin), ns, name);
        DiagnosticPrinter.Print(inputDiagnostics, stderr);
        if (document is null)
        {
            return null;
        }

        var evaluation = ValuesEvaluator.Evaluate(document, policy);
        DiagnosticPrinter.Print(evaluation.Diagnostics, stderr);
        return (document, evaluation);
    }

    public static ModelsPolicy LoadPolicy(string? path, TextReader stdin)
    {
        if (path is null)
        {
            return ModelsPolicy.Default;
        }

        var (policy, diagnostics) = PolicyReader.Read(ReadText(path, stdin));
        if (policy is null)
        {
            throw new UsageException($"policy {path} is invalid:\n" + string.Join("\n", diagnostics.Select(d => "  " + d)));
        }

        return policy;
    }
}
