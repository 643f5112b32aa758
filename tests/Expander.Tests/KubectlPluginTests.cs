using AiGatewayModels.Expander.Cli;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

/// <summary>The binary under the name kubectl-models is <c>kubectl models</c>: the same commands, kubectl's flag habits, no controller.</summary>
public class KubectlPluginTests
{
    private static readonly string MultiProvider = Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "multi-provider.yaml");

    [Theory]
    [InlineData("/usr/local/bin/kubectl-models", "kubectl-models")]
    [InlineData("kubectl-models", "kubectl-models")]
    [InlineData("/app/expander", "expander")]
    [InlineData("/usr/bin/dotnet", "expander")]
    [InlineData(null, "expander")]
    public void The_program_name_comes_from_argv0(string? argv0, string expected) =>
        Assert.Equal(expected, CommandLine.ProgramName(argv0));

    [Fact]
    public void Help_names_the_plugin_and_lists_no_controller()
    {
        var r = Plugin(string.Empty, "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("kubectl models COMMAND", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("kubectl-models [command] [options]", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("render", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  run ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_is_not_a_plugin_command_and_the_hint_names_kubectl_models()
    {
        var r = Plugin(string.Empty, "run");

        Assert.Equal(ExitCodes.UsageOrIo, r.ExitCode);
        Assert.Contains("run 'kubectl models --help' for usage", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reads_a_manifest_from_stdin_with_dash_f_dash()
    {
        var r = Plugin(File.ReadAllText(MultiProvider), "validate", "-f", "-");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("-: valid: 3 backend(s)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_takes_the_namespace_of_raw_values_from_dash_n_like_kubectl()
    {
        // the chart README example's values, unwrapped from its ConfigMap (data values.yaml, indented by four)
        var manifest = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "chart-readme-example.yaml"));
        var values = string.Join('\n', manifest[(manifest.IndexOf("values.yaml: |\n", StringComparison.Ordinal) + 15)..]
            .Split('\n').Select(line => line.Length >= 4 ? line[4..] : line));
        var r = Plugin(values, "render", "-f", "-", "-n", "team-a", "--name", "team-a-models");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("namespace: team-a\n", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace: default\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_expander_name_keeps_run()
    {
        var r = CliRunner.Run("--help");

        Assert.Contains("\n  run ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("expander [command] [options]", r.Stdout, StringComparison.Ordinal);
    }

    private static CliRunner.Result Plugin(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = CommandLine.Run(args, input, stdout, stderr, CommandLine.PluginExecutable);
        return new CliRunner.Result(code, stdout.ToString(), stderr.ToString());
    }
}
