using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Layers;
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
        var (document, diagnostics, _) = LoadOne(text, ns, name);
        return (document, diagnostics);
    }

    private static (ValuesDocument? Document, IReadOnlyList<Diagnostic> Diagnostics, bool Manifest) LoadOne(string text, string? ns, string? name)
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

            return (doc, diagnostics, true);
        }

        // Not a manifest (or not even YAML): treat it as raw values, whose evaluation reports any YAML problem with its position.
        return (new ValuesDocument(ns ?? ConfigMapReader.DefaultNamespace, name ?? DefaultName, text), [], false);
    }

    /// <summary>
    /// Reads every <c>-f</c> and, when there is more than one or a <c>--set</c>, merges them as Helm does
    /// (<see cref="ValuesLayering"/>): the document then holds the merged values written out, and
    /// <see cref="LoadedValues.Layers"/> the merged tree that knows which file or <c>--set</c> gave each value. Null, with
    /// the reasons printed, when an input is not even a usable values document.
    /// </summary>
    public static LoadedValues? Load(ValuesInput input, string? ns, string? name, TextReader stdin, TextWriter stderr)
    {
        if (!input.IsLayered)
        {
            var (single, diagnostics) = Load(ReadText(input.Files[0], stdin), ns, name);
            DiagnosticPrinter.Print(diagnostics, stderr);
            return single is null ? null : new LoadedValues(single, null);
        }

        if (input.Files.Count(f => f == "-") > 1)
        {
            throw new UsageException("-f - (standard input) can be given once");
        }

        var files = new List<ValuesFile>(input.Files.Count);
        ValuesDocument? target = null;
        string? targetLayer = null;
        foreach (var file in input.Files)
        {
            var layer = file == "-" ? "standard input" : file;
            var (document, diagnostics, manifest) = LoadOne(ReadText(file, stdin), ns, name);
            DiagnosticPrinter.Print(diagnostics.Select(d => d with { Origin = "in " + layer }), stderr);
            if (document is null)
            {
                return null;
            }

            // The manifests among the files name one ConfigMap; raw files take its name (or the options', or the defaults).
            if (manifest && target is not null && targetLayer is not null && (document.Namespace, document.Name) != (target.Namespace, target.Name))
            {
                throw new UsageException($"{layer} is for ConfigMap {document.Namespace}/{document.Name}, {targetLayer} for {target.Namespace}/{target.Name}; layer values of one ConfigMap");
            }

            if (manifest && targetLayer is null)
            {
                (target, targetLayer) = (document, layer);
            }

            target ??= document;
            files.Add(new ValuesFile(layer, document.ValuesYaml));
        }

        var layers = ValuesLayering.Read(files, input.Set, input.SetString);
        var merged = layers.Root is { } root ? ValuesLayering.WriteOut(root) : string.Empty;
        return new LoadedValues(target! with { ValuesYaml = merged }, layers);
    }

    /// <summary>The evaluation of loaded values: of the merged tree when they came in layers, else of the document.</summary>
    public static Evaluation Evaluate(LoadedValues loaded, ModelsPolicy policy) =>
        loaded.Layers is { } layers
            ? ValuesEvaluator.Evaluate(loaded.Document.Namespace, loaded.Document.Name, layers, policy)
            : ValuesEvaluator.Evaluate(loaded.Document, policy);

    /// <summary>
    /// The path every command takes: read the policy and the input, evaluate, print every finding. Null when the
    /// input is not even a usable values document.
    /// </summary>
    public static (ValuesDocument Document, Evaluation Evaluation)? Evaluate(
        ValuesInput input, string? ns, string? name, string? policyPath, TextReader stdin, TextWriter stderr)
    {
        var policy = LoadPolicy(policyPath, stdin);
        if (Load(input, ns, name, stdin, stderr) is not { } loaded)
        {
            return null;
        }

        var evaluation = Evaluate(loaded, policy);
        DiagnosticPrinter.Print(evaluation.Diagnostics, stderr);
        return (loaded.Document, evaluation);
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

/// <summary>Values read for a command: the document, and the merged layers when there were several inputs.</summary>
internal sealed record LoadedValues(ValuesDocument Document, LayeredValues? Layers);

/// <summary>
/// Where a command's values come from: <c>-f</c> files in order, then <c>--set</c> and <c>--set-string</c> as Helm
/// applies them (every <c>--set</c>, then every <c>--set-string</c>).
/// </summary>
internal sealed record ValuesInput(IReadOnlyList<string> Files, IReadOnlyList<string> Set, IReadOnlyList<string> SetString)
{
    /// <summary>More than one input: the values are merged, and messages say which input gave a value.</summary>
    public bool IsLayered => Files.Count > 1 || Set.Count > 0 || SetString.Count > 0;

    /// <summary>The inputs in a summary line: <c>base.yaml, prod.yaml with 2 --set</c>.</summary>
    public override string ToString()
    {
        var sets = Set.Count + SetString.Count;
        return string.Join(", ", Files) + (sets == 0 ? string.Empty : $" with {sets} --set");
    }
}
