using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

/// <summary>
/// Several <c>-f</c> and <c>--set</c> on every command that reads values, as <c>helm install</c> takes them. The merge
/// itself is held to data cases (tests/Engine.Tests/Cases/layered); these hold the commands to the same result.
/// </summary>
public class LayeredValuesTests
{
    private static readonly string Cases = Path.Combine(RepoPaths.RepoRoot, "tests", "Engine.Tests", "Cases", "layered");
    private static readonly string Deep = Path.Combine(Cases, "files-merge-deep");

    private static string In(string dir, string file) => Path.Combine(dir, file);

    [Fact]
    public void Render_merges_the_files_in_order_as_the_layered_case_does()
    {
        var r = CliRunner.Run("render", "-f", In(Deep, "base.yaml"), "-f", In(Deep, "prod.yaml"), "-f", In(Deep, "eu.yaml"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(File.ReadAllText(In(Deep, "expected.golden.yaml")), r.Stdout);
    }

    [Fact]
    public void The_order_of_the_files_decides()
    {
        var forward = CliRunner.Run("render", "-f", In(Deep, "base.yaml"), "-f", In(Deep, "prod.yaml"));
        var backward = CliRunner.Run("render", "-f", In(Deep, "prod.yaml"), "-f", In(Deep, "base.yaml"));

        Assert.True(forward.ExitCode == 0, forward.Stderr);
        Assert.True(backward.ExitCode == 0, backward.Stderr);
        Assert.Contains("name: openai-prod", forward.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("name: openai-prod", backward.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_turns_a_model_off_as_in_the_charts_readme()
    {
        var on = CliRunner.Run("render", "-f", In(Deep, "base.yaml"));
        var off = CliRunner.Run("render", "-f", In(Deep, "base.yaml"), "--set", "models.gpt-4o-mini.enabled=false");

        Assert.Equal(0, off.ExitCode);
        Assert.Contains("gpt-4o-mini", on.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("gpt-4o-mini", off.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_names_every_input_and_says_where_each_bad_value_came_from()
    {
        var dir = Path.Combine(Cases, "messages-name-the-layer");
        var r = CliRunner.Run("validate", "-f", In(dir, "base.yaml"), "-f", In(dir, "prod.yaml"), "--set", "models.gpt-4o.timeout=90", "--set-string", "models.gpt-4o.backends.fallback.priority=1");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains($"models.o3.backends.primary.weight: expected an integer, got a string \"many\" (from {In(dir, "prod.yaml")})", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("models.gpt-4o.timeout: expected a duration, got an integer \"90\"", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(from --set models.gpt-4o.timeout)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(from --set-string models.gpt-4o.backends.fallback.priority)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{In(dir, "base.yaml")}, {In(dir, "prod.yaml")} with 2 --set: invalid: 5 error(s)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_that_cannot_be_read_is_an_invalid_input_with_the_reason()
    {
        var r = CliRunner.Run("validate", "-f", In(Deep, "base.yaml"), "--set", "models.gpt-4o.enabled");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--set: models.gpt-4o.enabled has no value; write models.gpt-4o.enabled=<value>", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_given_with_set_is_withheld_from_every_output()
    {
        const string Secret = "sk-proj-Zq8vN3xT7bK2mW9pL4rY6sD1fH5jC0gAeUiOoPa";
        foreach (var command in new[] { "render", "validate" })
        {
            var r = CliRunner.Run(command, "-f", In(Deep, "base.yaml"), "--set", "backends.openai.apiKey=" + Secret);

            Assert.Equal(1, r.ExitCode);
            Assert.DoesNotContain("Zq8vN3xT7bK2mW9p", r.Stderr + r.Stdout, StringComparison.Ordinal);
            Assert.Contains("backends.openai.apiKey: this value looks like a literal credential (withheld)", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("(from --set backends.openai.apiKey)", r.Stderr, StringComparison.Ordinal);
        }

        // a --set that cannot be read is refused without its value
        var unreadable = CliRunner.Run("validate", "-f", In(Deep, "base.yaml"), "--set", "models.gpt-4o.x=" + Secret + ",y");
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("--set: y has no value", unreadable.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq8vN3xT7bK2mW9p", unreadable.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_writes_the_merged_values_into_the_ConfigMap()
    {
        var r = CliRunner.Run("convert", "-f", In(Deep, "base.yaml"), "-f", In(Deep, "prod.yaml"), "-f", In(Deep, "eu.yaml"), "-n", "team-a", "--name", "models");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var merged = File.ReadAllText(In(Deep, "expected.merged.yaml"));
        var indented = string.Concat(merged.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"));
        Assert.Contains("  values.yaml: |\n" + indented, r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_layered_with_a_raw_file_names_the_ConfigMap_and_two_different_ConfigMaps_are_refused()
    {
        var manifest = CliRunner.TempFile("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: team-models
              namespace: team-a
              annotations: {models.ai-gateway.io/values: "true"}
            data:
              values.yaml: |
                gatewayRef: {name: ai-gateway}
            """);
        var other = CliRunner.TempFile(Fixture.Edit(File.ReadAllText(manifest), "team-models", "other-models"));
        var raw = In(Deep, "base.yaml");

        var layered = CliRunner.Run("render", "-f", manifest, "-f", raw);
        Assert.True(layered.ExitCode == 0, layered.Stderr);
        Assert.Contains("namespace: team-a", layered.Stdout, StringComparison.Ordinal);

        var refused = CliRunner.Run("render", "-f", manifest, "-f", other);
        Assert.Equal(2, refused.ExitCode);
        // (the temporary files' names hold 32 hex digits, which every message withholds as credential-shaped)
        Assert.Contains("is for ConfigMap team-a/other-models, ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains(" for team-a/team-models; layer values of one ConfigMap", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_stops_at_layers_that_cannot_be_merged_before_it_asks_the_cluster()
    {
        var r = CliRunner.Run("diff", "-f", In(Deep, "base.yaml"), "--set", "models..enabled=false", "--kubeconfig", Path.Combine(Path.GetTempPath(), "no-such-kubeconfig"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--set: an empty key name after \"models\"", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot connect", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_is_one_layer_at_most()
    {
        var r = CliRunner.RunWithInput("gatewayRef: {name: x}\n", "validate", "-f", "-", "-f", "-");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("-f - (standard input) can be given once", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("render")]
    [InlineData("validate")]
    [InlineData("convert")]
    [InlineData("diff")]
    public void Every_command_that_reads_values_takes_set_and_set_string(string command)
    {
        var r = CliRunner.Run(command, "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--set <set>", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--set-string <set-string>", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("several are merged in order", r.Stdout, StringComparison.Ordinal);
    }
}
