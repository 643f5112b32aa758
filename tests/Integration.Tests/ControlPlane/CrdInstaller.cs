using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// Installs the upstream CRDs (every *.yaml under the CRD directory, sub-directories such as cert-manager/ included)
/// into a v1.20 apiserver: made compatible by <see cref="CrdCompat"/>, then <em>created</em> (not applied: the
/// BackendSecurityPolicy CRD is larger than client-side apply's 256 KiB last-applied annotation), then awaited
/// until Established.
/// </summary>
public static class CrdInstaller
{
    /// <summary>Holds the experimental-channel Gateway API CRDs, which share their names with the standard ones.</summary>
    public const string ExperimentalDir = "experimental";

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The CRD documents to install, by CRD name. Experimental files replace the standard ones only when asked.</summary>
    public static IReadOnlyList<JsonObject> Load(string crdsDir, bool includeExperimental = false)
    {
        var byName = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(crdsDir, "*.yaml", SearchOption.AllDirectories)
            .Select(f => (File: f, Experimental: IsExperimental(crdsDir, f)))
            .Where(f => includeExperimental || !f.Experimental)
            .OrderBy(f => f.Experimental) // experimental last, so that it wins
            .ThenBy(f => f.File, StringComparer.Ordinal);
        foreach (var (file, _) in files)
        {
            foreach (var doc in ManifestYaml.LoadDocuments(file))
            {
                if ((string?)doc["kind"] != "CustomResourceDefinition")
                {
                    continue;
                }

                CrdCompat.MakeV120Compatible(doc);
                var name = (string?)doc["metadata"]?["name"] ?? throw new InvalidDataException($"a CRD without metadata.name in {file}");
                byName[name] = doc;
            }
        }

        return [.. byName.Values];
    }

    public static async Task<IReadOnlyList<string>> InstallAsync(
        Kubernetes client, string crdsDir, bool includeExperimental = false, CancellationToken cancellationToken = default)
    {
        var crds = Load(crdsDir, includeExperimental);
        if (crds.Count == 0)
        {
            throw new InvalidDataException($"no CustomResourceDefinition found under {crdsDir}");
        }

        var names = new List<string>();
        foreach (var crd in crds)
        {
            var name = (string)crd["metadata"]!["name"]!;
            try
            {
                await client.CustomObjects.CreateClusterCustomObjectAsync(
                    crd, "apiextensions.k8s.io", "v1", "customresourcedefinitions", cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e)
            {
                throw new InvalidOperationException($"creating CRD {name} failed ({e.Response.StatusCode}): {e.Response.Content}", e);
            }

            names.Add(name);
        }

        foreach (var name in names)
        {
            await WaitEstablishedAsync(client, name, cancellationToken);
        }

        return names;
    }

    private static async Task WaitEstablishedAsync(Kubernetes client, string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + EstablishTimeout;
        IList<V1CustomResourceDefinitionCondition>? conditions = null;
        while (DateTime.UtcNow < deadline)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
            conditions = crd.Status?.Conditions;
            if (conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            var refused = conditions?.FirstOrDefault(c =>
                (c.Type == "NamesAccepted" && c.Status == "False") || (c.Type == "NonStructuralSchema" && c.Status == "True"));
            if (refused is not null)
            {
                throw new InvalidOperationException($"CRD {name} will not be established: {refused.Type}={refused.Status}: {refused.Message}");
            }

            await Task.Delay(100, cancellationToken);
        }

        var seen = conditions is null ? "none" : string.Join("; ", conditions.Select(c => $"{c.Type}={c.Status} {c.Message}"));
        throw new TimeoutException($"CRD {name} not Established after {EstablishTimeout.TotalSeconds} s; conditions: {seen}");
    }

    private static bool IsExperimental(string root, string file) =>
        Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)[0] == ExperimentalDir;
}
