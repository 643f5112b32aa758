using AiGatewayModels.Engine.Values;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

/// <summary>
/// Chart 0.1.4 values (Chart014/values.yaml: 33 models (one disabled), anchors, merge keys and every 0.1.4-only key): validate names
/// each such key with what to write, convert rewrites exactly those, and convert and render are held to goldens.
/// <c>UPDATE_GOLDEN=1</c> rewrites the goldens in the source tree instead.
/// </summary>
public sealed class Chart014ConversionTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.RepoRoot, "tests", "Expander.Tests", "Chart014");
    private static readonly string Values = Path.Combine(Dir, "values.yaml");

    [Fact]
    public void Validate_names_every_chart_0_1_4_key_with_what_to_write_instead()
    {
        var r = CliRunner.Run("validate", "-f", Values);

        Assert.Equal(1, r.ExitCode);
        foreach (var key in ChartReleases.Keys)
        {
            Assert.Contains($"this is chart 0.1.4's `{key.Was}`; write `{key.Write}`", r.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("modelDefaults.standard: unknown key \"standard\"", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"if {ChartReleases.Message(ChartReleases.ModelDefaultsBlock)}", r.Stderr, StringComparison.Ordinal);

        // A key brought by a merge key says where it came from.
        Assert.Contains("backends.openai.securityType: this is chart 0.1.4's `securityType: APIKey`", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(merged by the << at line", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_rewrites_every_chart_0_1_4_key_and_the_result_validates()
    {
        var converted = CliRunner.Run("convert", "-f", Values, "--namespace", "default", "--name", "models");

        Assert.True(converted.ExitCode == 0, converted.Stderr);
        Assert.DoesNotContain("this is chart 0.1.4's", converted.Stderr, StringComparison.Ordinal);
        foreach (var key in ChartReleases.Keys)
        {
            Assert.Contains($"{key.Key}: converted: ", converted.Stderr, StringComparison.Ordinal);
        }

        var validated = CliRunner.Run("validate", "-f", CliRunner.TempFile(converted.Stdout));
        Assert.True(validated.ExitCode == 0, validated.Stderr);
        Assert.Contains("32 enabled model(s)", validated.Stderr, StringComparison.Ordinal);
        AssertGolden("convert.golden.yaml", converted.Stdout);
        AssertGolden("convert.stderr.golden.txt", converted.Stderr);
    }

    [Fact]
    public void Render_of_the_converted_values_matches_its_golden_file()
    {
        var converted = CliRunner.Run("convert", "-f", Values, "--namespace", "default", "--name", "models");
        Assert.True(converted.ExitCode == 0, converted.Stderr);

        var rendered = CliRunner.Run("render", "-f", CliRunner.TempFile(converted.Stdout));
        Assert.True(rendered.ExitCode == 0, rendered.Stderr);
        AssertGolden("render.golden.yaml", rendered.Stdout);
    }

    [Fact]
    public void Chart_0_1_3_values_are_kept_as_written()
    {
        const string Written = """
            # comments and anchors stay
            gatewayRef: {name: ai-gateway}
            x-endpoint: &endpoint {hostname: api.openai.com, port: 443}
            backends:
              a: {resourceName: a, schema: OpenAI, fqdn: *endpoint, apiKeySecretRef: {name: s, key: apiKey}}
              b: {resourceName: b, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: t, key: apiKey}}
            models:
              m:
                enabled: true
                backends:
                  one: {ref: a, enabled: true}
                  two: {ref: b, priority: 1, enabled: true}
            """;
        var r = CliRunner.Run("convert", "-f", CliRunner.TempFile(Written), "--namespace", "default", "--name", "models");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("converted:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("    x-endpoint: &endpoint {hostname: api.openai.com, port: 443}\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("    # comments and anchors stay\n", r.Stdout, StringComparison.Ordinal);
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(Dir, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_GOLDEN=1 to write it, then review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
