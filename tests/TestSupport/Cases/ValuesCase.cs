using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.TestSupport.Cases;

/// <summary>
/// One input the engine is tested with: a bundled example, or a case directory holding <c>values.yaml</c> (raw values,
/// namespace default, name models) or <c>configmap.yaml</c>, and optionally <c>policy.yaml</c>.
/// </summary>
public sealed record ValuesCase(string Name, string Directory, ValuesDocument Document, ModelsPolicy Policy)
{
    public const string DefaultNamespace = "default";
    public const string DefaultName = "models";

    public static string ValidCasesDir => Path.Combine(RepoPaths.RepoRoot, "tests", "Engine.Tests", "Cases", "valid");

    public static string InvalidCasesDir => Path.Combine(RepoPaths.RepoRoot, "tests", "Engine.Tests", "Cases", "invalid");

    public static string ExamplesDir => Path.Combine(RepoPaths.RepoRoot, "deploy", "examples");

    /// <summary>Every bundled example ConfigMap under deploy/examples (valid ones; files named *invalid* are left out).</summary>
    public static IEnumerable<ValuesCase> BundledExamples() =>
        System.IO.Directory.EnumerateFiles(ExamplesDir, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => !Path.GetFileName(f).Contains("invalid", StringComparison.Ordinal))
            .Select(f => new ValuesCase(Path.GetFileNameWithoutExtension(f), ExamplesDir, ReadConfigMap(File.ReadAllText(f), f), ModelsPolicy.Default));

    public static IEnumerable<ValuesCase> ValidCases() => Load(ValidCasesDir);

    public static IEnumerable<ValuesCase> InvalidCases() => Load(InvalidCasesDir);

    public static ValuesCase LoadCase(string directory)
    {
        var name = Path.GetFileName(directory);
        var policyFile = Path.Combine(directory, "policy.yaml");
        var policy = ModelsPolicy.Default;
        if (File.Exists(policyFile))
        {
            var (read, diagnostics) = PolicyReader.Read(File.ReadAllText(policyFile));
            policy = read ?? throw new InvalidDataException($"{policyFile}: {string.Join("; ", diagnostics)}");
        }

        var configMap = Path.Combine(directory, "configmap.yaml");
        var document = File.Exists(configMap)
            ? ReadConfigMap(File.ReadAllText(configMap), configMap)
            : new ValuesDocument(DefaultNamespace, DefaultName, File.ReadAllText(Path.Combine(directory, "values.yaml")));
        return new ValuesCase(name, directory, document, policy);
    }

    private static IEnumerable<ValuesCase> Load(string root) =>
        System.IO.Directory.Exists(root)
            ? System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(LoadCase)
            : [];

    private static ValuesDocument ReadConfigMap(string text, string file)
    {
        var parsed = BoundedYamlReader.Read(text, file);
        var (document, diagnostics) = parsed.Ok ? ConfigMapReader.Read(parsed.Root!) : (null, parsed.Diagnostics);
        return document ?? throw new InvalidDataException($"{file}: {string.Join("; ", diagnostics)}");
    }
}
