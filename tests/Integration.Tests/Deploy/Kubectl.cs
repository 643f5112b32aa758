using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Processes;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>The kubectl on this machine (PATH, /usr/bin, or the Google Cloud SDK's bin directory), run as a child process.</summary>
internal static class Kubectl
{
    private static readonly Lazy<string> Path_ = new(Find);

    public static string Path => Path_.Value;

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, string? stdin = null, string? kubeconfig = null) =>
        TestProcess.RunAsync(Path, (kubeconfig is null ? Array.Empty<string>() : ["--kubeconfig", kubeconfig]).Concat(args), stdin);

    /// <summary><c>kubectl kustomize deploy/manifests</c>, as JSON objects (the apiserver's reading of the YAML).</summary>
    public static Task<(string Yaml, IReadOnlyList<JsonObject> Objects)> KustomizeManifestsAsync() => KustomizeAsync("deploy", "manifests");

    /// <summary><c>kubectl kustomize</c> of a directory of the repository (e.g. deploy/overlays/namespaced), as JSON objects.</summary>
    public static async Task<(string Yaml, IReadOnlyList<JsonObject> Objects)> KustomizeAsync(params string[] repoPath)
    {
        var dir = System.IO.Path.Combine([RepoPaths.RepoRoot, .. repoPath]);
        var (code, yaml, err) = await RunAsync(["kustomize", dir]);
        if (code != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {dir} failed ({code}): {err}");
        }

        var file = System.IO.Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, yaml);
            return (yaml, ManifestYaml.LoadDocuments(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Append("/usr/lib/google-cloud-sdk/bin")
            .Append("/usr/share/google-cloud-sdk/bin")
            .Append("/opt/google-cloud-sdk/bin")
            .Select(d => System.IO.Path.Combine(d, "kubectl"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("kubectl not found on PATH, in /usr/bin or in a Google Cloud SDK bin directory; install kubectl (it has `kubectl kustomize` built in)");
    }
}
