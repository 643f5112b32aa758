using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// The table-driven cases under <c>Cases/</c>: one directory per case, as AI Gateway's tests/crdcel lays them out.
/// <list type="bullet">
/// <item><c>values.yaml</c> (raw values, evaluated as ConfigMap default/models) or <c>configmap.yaml</c> (a manifest, read with <see cref="ConfigMapReader"/>)</item>
/// <item><c>policy.yaml</c>, optional, read with <see cref="PolicyReader"/></item>
/// <item><c>expected.txt</c>: <c>error|warning &lt;path&gt;: &lt;message fragment&gt;</c> per line; <c>(root)</c> is the empty path</item>
/// <item><c>expected.golden.yaml</c> (valid cases): the exact render output</item>
/// <item><c>secrets.txt</c>, optional: strings planted in the input that no diagnostic may repeat</item>
/// </list>
/// Cases are discovered in the test output directory (the project copies <c>Cases/**</c> there); goldens are written back to the source tree.
/// </summary>
internal static class CaseFiles
{
    public const string Invalid = "invalid";
    public const string Valid = "valid";
    public const string ValuesFile = "values.yaml";
    public const string ConfigMapFile = "configmap.yaml";
    public const string PolicyFile = "policy.yaml";
    public const string ExpectedFile = "expected.txt";
    public const string GoldenFile = "expected.golden.yaml";
    public const string SecretsFile = "secrets.txt";

    /// <summary>Raw values are evaluated as if they were data."values.yaml" of ConfigMap default/models.</summary>
    public const string RawNamespace = "default";
    public const string RawName = "models";

    public static readonly IReadOnlyList<string> KnownFiles = [ValuesFile, ConfigMapFile, PolicyFile, ExpectedFile, GoldenFile, SecretsFile];

    public static string OutputRoot => Path.Combine(AppContext.BaseDirectory, "Cases");

    public static string SourceRoot => Path.Combine(RepoPaths.RepoRoot, "tests", "Engine.Tests", "Cases");

    public static IReadOnlyList<string> Names(string kind, string? root = null)
    {
        var dir = Path.Combine(root ?? OutputRoot, kind);
        return Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static TheoryData<string> Theory(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(kind))
        {
            data.Add(name);
        }

        return data;
    }

    public static string Dir(string kind, string name) => Path.Combine(OutputRoot, kind, name);

    public static string? ReadOptional(string kind, string name, string file)
    {
        var path = Path.Combine(Dir(kind, name), file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>The input text of a case: its values.yaml or its configmap.yaml.</summary>
    public static string InputText(string kind, string name) =>
        ReadOptional(kind, name, ValuesFile) ?? ReadOptional(kind, name, ConfigMapFile)
        ?? throw new InvalidOperationException($"case {kind}/{name} has neither {ValuesFile} nor {ConfigMapFile}");

    public static CaseResult Evaluate(string kind, string name)
    {
        var policy = ModelsPolicy.Default;
        if (ReadOptional(kind, name, PolicyFile) is { } policyText)
        {
            var (read, policyDiagnostics) = PolicyReader.Read(policyText);
            policy = read ?? throw new InvalidOperationException(
                $"case {kind}/{name}: {PolicyFile} is not a valid policy:\n" + string.Join("\n", policyDiagnostics));
        }

        if (ReadOptional(kind, name, ValuesFile) is { } values)
        {
            var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument(RawNamespace, RawName, values), policy);
            return new CaseResult(evaluation.Diagnostics, evaluation.Model);
        }

        var manifest = ReadOptional(kind, name, ConfigMapFile)
            ?? throw new InvalidOperationException($"case {kind}/{name} has neither {ValuesFile} nor {ConfigMapFile}");
        var parsed = BoundedYamlReader.Read(manifest, "the input");
        if (!parsed.Ok)
        {
            return new CaseResult(parsed.Diagnostics, null);
        }

        var (document, configMapDiagnostics) = ConfigMapReader.Read(parsed.Root!);
        if (document is null)
        {
            return new CaseResult(configMapDiagnostics, null);
        }

        var result = ValuesEvaluator.Evaluate(document, policy);
        return new CaseResult([.. configMapDiagnostics, .. result.Diagnostics], result.Model);
    }

    /// <summary>What the CLI's render prints: every object with default options, as one YAML stream.</summary>
    public static string Render(ValidatedModel model) =>
        YamlWriter.Write(Renderer.Render(model).Objects.Select(o => o.Manifest));
}

internal sealed record CaseResult(IReadOnlyList<Diagnostic> Diagnostics, ValidatedModel? Model)
{
    public bool IsValid => Model is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>All findings in expected.txt syntax, to paste from when a case is written or changes.</summary>
    public string Describe() => Diagnostics.Count == 0
        ? "  (no diagnostics)"
        : string.Join("\n", Diagnostics.Select(d => "  " + ExpectedLine.Format(d)));
}
