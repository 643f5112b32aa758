using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Processes;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>
/// kubectl finds the expander on PATH under the plugin's name and runs it for <c>kubectl models ...</c>. The binary is
/// the kubectl-models symlink hack/publish.sh ships next to the Native AOT expander when <c>MODELS_PUBLISHED_DIR</c>
/// names one (CI), else a symlink made here to the expander's apphost: either way the name comes from argv[0].
/// </summary>
public sealed class KubectlPluginTests : IDisposable
{
    private static readonly string Examples = Path.Combine(RepoPaths.RepoRoot, "deploy", "examples");
    private readonly string dir = Directory.CreateTempSubdirectory("kubectl-plugin-").FullName;

    public KubectlPluginTests()
    {
        var published = Environment.GetEnvironmentVariable("MODELS_PUBLISHED_DIR") is { Length: > 0 } d ? Path.Combine(d, "kubectl-models") : null;
        if (published is not null)
        {
            Assert.True(File.Exists(published), $"MODELS_PUBLISHED_DIR has no kubectl-models ({published}): hack/publish.sh ships it");
            File.CreateSymbolicLink(Path.Combine(dir, "kubectl-models"), published);
        }
        else
        {
            File.CreateSymbolicLink(Path.Combine(dir, "kubectl-models"), Path.Combine(AppContext.BaseDirectory, "expander"));
        }
    }

    [Fact]
    public async Task Kubectl_lists_the_plugin_and_runs_it_with_stdin_kubectl_flags_and_exit_codes()
    {
        var (code, stdout, stderr) = await KubectlAsync(["plugin", "list"]);
        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(dir, "kubectl-models"), stdout, StringComparison.Ordinal);

        (code, stdout, _) = await KubectlAsync(["models", "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("kubectl models COMMAND", stdout, StringComparison.Ordinal);

        var manifest = await File.ReadAllTextAsync(Path.Combine(Examples, "multi-provider.yaml"));
        (code, _, stderr) = await KubectlAsync(["models", "validate", "-f", "-"], manifest);
        Assert.True(code == 0, stderr);
        Assert.Contains("-: valid: 3 backend(s)", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await KubectlAsync(["models", "render", "-f", "-"], manifest);
        Assert.True(code == 0, stderr);
        Assert.Contains("kind: AIGatewayRoute", stdout, StringComparison.Ordinal);

        // the values' exit code comes through kubectl: 1 for invalid values
        (code, _, stderr) = await KubectlAsync(["models", "validate", "-f", Path.Combine(Examples, "invalid-example.yaml")]);
        Assert.Equal(1, code);
        Assert.Contains("invalid:", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(string[] args, string? stdin = null) =>
        TestProcess.RunAsync(Kubectl.Path, args, stdin, new Dictionary<string, string> { ["PATH"] = dir + ":" + Environment.GetEnvironmentVariable("PATH") });
}
