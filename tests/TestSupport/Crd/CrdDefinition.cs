using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>A CustomResourceDefinition as far as validation needs it: names, scope and the schema of each version.</summary>
internal sealed class CrdDefinition
{
    private CrdDefinition(string name, string group, string kind, bool namespaced, IReadOnlyDictionary<string, CrdVersion> versions, string source)
    {
        Name = name;
        Group = group;
        Kind = kind;
        Namespaced = namespaced;
        Versions = versions;
        Source = source;
    }

    /// <summary>metadata.name, e.g. backendtlspolicies.gateway.networking.k8s.io.</summary>
    public string Name { get; }
    public string Group { get; }
    public string Kind { get; }
    public bool Namespaced { get; }
    public IReadOnlyDictionary<string, CrdVersion> Versions { get; }

    /// <summary>The file the definition was read from.</summary>
    public string Source { get; }

    public IEnumerable<string> ServedVersions => Versions.Values.Where(v => v.Served).Select(v => v.Name);

    public static CrdDefinition Parse(JsonObject crd, string source)
    {
        var spec = crd["spec"] as JsonObject ?? throw new InvalidDataException($"{source}: CRD without spec");
        var versions = new Dictionary<string, CrdVersion>(StringComparer.Ordinal);
        foreach (var node in spec["versions"] as JsonArray ?? [])
        {
            var version = node as JsonObject ?? throw new InvalidDataException($"{source}: bad spec.versions entry");
            var name = version["name"]!.GetValue<string>();
            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject
                ?? throw new InvalidDataException($"{source}: version {name} has no openAPIV3Schema");
            versions[name] = new CrdVersion(name, version["served"]?.GetValue<bool>() ?? false, SchemaNode.Parse(schema));
        }

        return new CrdDefinition(
            crd["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: CRD without metadata.name"),
            spec["group"]!.GetValue<string>(),
            spec["names"]!["kind"]!.GetValue<string>(),
            spec["scope"]?.GetValue<string>() != "Cluster",
            versions,
            source);
    }
}

internal sealed record CrdVersion(string Name, bool Served, SchemaNode Schema);
