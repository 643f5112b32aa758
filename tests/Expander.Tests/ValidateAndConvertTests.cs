using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

public class ValidateAndConvertTests
{
    private static readonly string ChartExample = Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "chart-readme-example.yaml");

    [Fact]
    public void Validate_prints_nothing_on_stdout_and_a_summary_on_stderr()
    {
        var r = CliRunner.Run("validate", "-f", ChartExample);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains("valid: 2 backend(s), 2 enabled model(s), 14 object(s)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_every_error_at_once()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: Bad_Gateway}
            backends:
              a: {resourceName: a, schema: OpenAl, fqdn: {hostname: localhost, port: 443}, apiKeySecretRef: {name: s, key: apiKey}}
            models:
              m:
                backends:
                  one: {ref: a, weight: -1}
            """);
        var r = CliRunner.Run("validate", "-f", values);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("gatewayRef.name: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("backends.a.schema: unknown schema \"OpenAl\" (did you mean \"OpenAI\"?)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("backends.a.fqdn.hostname: \"localhost\" is denied by the policy", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("models.m.backends.one.weight: -1 is out of range", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("models.m.backends: model m has 1 enabled backend(s)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("invalid: 5 error(s)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_refuses_a_known_crash_pattern_unless_the_policy_says_Warn()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: ai-gateway}
            backends:
              a: {resourceName: a, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: s, key: apiKey}}
              b: {resourceName: b, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: t, key: apiKey}}
            models:
              m:
                failover: {retryOn: {httpStatusCodes: [429]}}
                backends:
                  one: {ref: a}
                  two: {ref: b, priority: 1}
            """);
        var denied = CliRunner.Run("validate", "-f", values);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("models.m.failover.retryOn: retrying on status 429 with the trigger retriable-status-codes crashes Envoy (SIGSEGV)", denied.Stderr, StringComparison.Ordinal);

        var warn = CliRunner.TempFile("knownCrashPatterns: Warn\n");
        var warned = CliRunner.Run("validate", "-f", values, "--policy", warn);
        Assert.Equal(0, warned.ExitCode);
        Assert.Contains("warning", warned.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("envoyproxy/ai-gateway#1855", warned.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_wraps_chart_values_unchanged_and_renders_identically()
    {
        var rawValues = RenderCommandTests.ExtractValues(ChartExample);
        var valuesFile = CliRunner.TempFile(rawValues);
        var converted = CliRunner.Run("convert", "-f", valuesFile, "--namespace", "default", "--name", "chart-readme-example");
        Assert.Equal(0, converted.ExitCode);
        Assert.Contains("models.ai-gateway.io/values: \"true\"", converted.Stdout, StringComparison.Ordinal);

        var configMap = CliRunner.TempFile(converted.Stdout);
        var fromConfigMap = CliRunner.Run("render", "-f", configMap);
        var fromValues = CliRunner.Run("render", "-f", valuesFile, "--namespace", "default", "--name", "chart-readme-example");
        Assert.Equal(0, fromConfigMap.ExitCode);
        Assert.Equal(fromValues.Stdout, fromConfigMap.Stdout);
    }

    [Fact]
    public void Convert_of_a_crlf_values_file_writes_a_literal_block_that_renders_identically()
    {
        var rawValues = RenderCommandTests.ExtractValues(ChartExample);
        var crlf = CliRunner.TempFile(rawValues.ReplaceLineEndings("\r\n"));
        var converted = CliRunner.Run("convert", "-f", crlf, "--namespace", "default", "--name", "chart-readme-example");
        Assert.Equal(0, converted.ExitCode);
        Assert.Contains("  values.yaml: |", converted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", converted.Stdout, StringComparison.Ordinal);

        var fromConfigMap = CliRunner.Run("render", "-f", CliRunner.TempFile(converted.Stdout));
        var fromValues = CliRunner.Run("render", "-f", CliRunner.TempFile(rawValues), "--namespace", "default", "--name", "chart-readme-example");
        Assert.Equal(0, fromConfigMap.ExitCode);
        Assert.Equal(fromValues.Stdout, fromConfigMap.Stdout);
    }

    [Fact]
    public void Convert_warns_where_the_enabled_default_differs_from_the_chart()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: ai-gateway}
            backends:
              a: {resourceName: a, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: s, key: apiKey}}
              b: {resourceName: b, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: t, key: apiKey}}
            models:
              m:
                backends:
                  one: {ref: a, enabled: true}
                  two: {ref: b, modelNameOverride: other}
            """);
        var r = CliRunner.Run("convert", "-f", values, "--namespace", "ns", "--name", "x");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: models.m: enabled is not set: the chart skipped this model", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: models.m.backends.two: enabled is not set", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("models.m.backends.one: enabled", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_requires_namespace_and_name()
    {
        var r = CliRunner.Run("convert", "-f", ChartExample);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--namespace", r.Stderr, StringComparison.Ordinal);
    }
}

public class UnusableConfigMapTests
{
    [Fact]
    public void A_configmap_without_annotation_and_values_exits_1_naming_both_fields()
    {
        var file = CliRunner.TempFile("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {}\n");
        var r = CliRunner.Run("render", "-f", file);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains("metadata.annotations[\"models.ai-gateway.io/values\"]: the ConfigMap is not marked as models values", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("data[\"values.yaml\"]: the ConfigMap holds no values", r.Stderr, StringComparison.Ordinal);
    }
}
