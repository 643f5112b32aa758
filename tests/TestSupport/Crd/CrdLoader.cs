namespace AiGatewayModels.TestSupport;

/// <summary>
/// Reads the CRDs of a directory: every *.yaml in it and in its subdirectories (such as cert-manager/), except
/// experimental/, whose CRDs replace the standard ones of the same name on the experimental channel.
/// </summary>
internal static class CrdLoader
{
    public const string ExperimentalSubdirectory = "experimental";

    public static Dictionary<(string Group, string Kind), CrdDefinition> Read(string dir, bool experimentalChannel)
    {
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"CRD directory not found: {dir}");
        }

        var byName = new Dictionary<string, CrdDefinition>(StringComparer.Ordinal);
        var standard = Directory.EnumerateDirectories(dir)
            .Where(d => Path.GetFileName(d) != ExperimentalSubdirectory)
            .Prepend(dir)
            .SelectMany(YamlFiles);
        foreach (var crd in standard.SelectMany(ReadDefinitions))
        {
            if (!byName.TryAdd(crd.Name, crd))
            {
                throw new InvalidDataException($"CRD {crd.Name} is defined twice: {byName[crd.Name].Source} and {crd.Source}");
            }
        }

        var experimentalDir = Path.Combine(dir, ExperimentalSubdirectory);
        if (experimentalChannel && Directory.Exists(experimentalDir))
        {
            foreach (var crd in YamlFiles(experimentalDir).SelectMany(ReadDefinitions))
            {
                byName[crd.Name] = crd;
            }
        }

        var definitions = new Dictionary<(string Group, string Kind), CrdDefinition>();
        foreach (var crd in byName.Values)
        {
            if (!definitions.TryAdd((crd.Group, crd.Kind), crd))
            {
                throw new InvalidDataException($"kind {crd.Kind} in group {crd.Group} is defined twice: {definitions[(crd.Group, crd.Kind)].Source} and {crd.Source}");
            }
        }

        return definitions;
    }

    private static IEnumerable<string> YamlFiles(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<CrdDefinition> ReadDefinitions(string file) =>
        YamlJson.ReadObjectsFromFile(file)
            .Where(o => JsonScalars.TryString(o["kind"], out var kind) && kind == "CustomResourceDefinition")
            .Select(o => CrdDefinition.Parse(o, file));
}
