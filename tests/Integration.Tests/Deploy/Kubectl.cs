using System.Diagnostics;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>The kubectl on this machine (PATH, /usr/bin, or the Google Cloud SDK's bin directory), run as a child process.</summary>
internal static class Kubectl
{
    private static readonly Lazy<string> Path_ = new(Find);

    public static string Path => Path_.Value;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, string? stdin = null, string? kubeconfig = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (kubeconfig is not null)
        {
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(kubeconfig);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>kubectl kustomize deploy/manifests</c>, as JSON objects (the apiserver's reading of the YAML).</summary>
    public static async Task<(string Yaml, IReadOnlyList<JsonObject> Objects)> KustomizeManifestsAsync()
    {
        var dir = System.IO.Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests");
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
