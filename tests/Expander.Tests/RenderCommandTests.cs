using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

public class RenderCommandTests
{
    private static readonly string ChartExample = Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "chart-readme-example.yaml");
    private static readonly string MultiProvider = Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "multi-provider.yaml");

    [Fact]
    public void Renders_the_chart_readme_example_with_exit_0_and_every_kind()
    {
        var r = CliRunner.Run("render", "-f", ChartExample);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Stderr);
        foreach (var kind in new[] { "Backend", "AIServiceBackend", "BackendSecurityPolicy", "BackendTLSPolicy", "AIGatewayRoute", "BackendTrafficPolicy", "RateLimitPolicy" })
        {
            Assert.Contains($"\nkind: {kind}\n", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("token-limits.yaml", "TokenRateLimitPolicy", "expression: request.headers['x-user-id']")]
    [InlineData("token-limits-envoy-gateway.yaml", "BackendTrafficPolicy", "key: llm_output_token")]
    public void Renders_the_token_limit_examples_on_their_engine(string example, string kind, string fragment)
    {
        var r = CliRunner.Run("render", "-f", Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", example));

        Assert.Equal(0, r.ExitCode);

        // warnings only (Envoy Gateway's Month is not a calendar month)
        Assert.All(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("warning: ", l, StringComparison.Ordinal));
        Assert.Contains($"\nkind: {kind}\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains(fragment, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("-traffic\n", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("-failover\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_the_budgets_example_with_cost_expressions_and_a_policy_on_the_Gateway()
    {
        var r = CliRunner.Run("render", "-f", Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "budgets.yaml"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("rateLimiting.acrossModels[0].window: Envoy Gateway's Month is not a calendar month", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("  - metadataKey: llm_cost_usd_micro\n    type: CEL\n    cel: ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n  name: research-gateway-across-models\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("    kind: Gateway\n    name: research-gateway\n  rateLimit:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  mergeType: StrategicMerge\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_byte_identical_across_runs()
    {
        var first = CliRunner.Run("render", "-f", MultiProvider);
        var second = CliRunner.Run("render", "-f", MultiProvider);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void Projected_secrets_are_announced_on_stderr_without_data()
    {
        var r = CliRunner.Run("render", "-f", MultiProvider);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("note: the expander will project Secret azure-apikey (data key apiKey) from Secret azure-openai-credentials, key AZURE_OPENAI_API_KEY", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Secret", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("name: azure-apikey", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cloud_providers_example_renders_one_policy_per_cloud_and_announces_its_projection()
    {
        var r = CliRunner.Run("render", "-f", Path.Combine(RepoPaths.RepoRoot, "deploy", "examples", "cloud-providers.yaml"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "note: the expander will project Secret vertex-gcp-service-account (data key service_account.json) from Secret vertex-sa, key key.json; its data is never printed\n",
            r.Stderr.ReplaceAll("\r\n", "\n"));
        foreach (var type in new[] { "AzureCredentials", "AWSCredentials", "GCPCredentials" })
        {
            Assert.Contains($"\n  type: {type}\n", r.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("name: vertex-gcp-service-account\n", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Secret", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void What_an_older_API_version_cannot_express_is_left_out_with_a_warning()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: gw}
            backends:
              a: {resourceName: a, schema: GCPVertexAI, fqdn: {hostname: us-central1-aiplatform.googleapis.com, port: 443}, gcpCredentials: {projectName: team-a-ml, region: us-central1}}
              b: {resourceName: b, schema: GCPVertexAI, fqdn: {hostname: us-central1-aiplatform.googleapis.com, port: 443}, gcpCredentials: {projectName: team-a-ml, region: us-central1, credentialsFile: {secretRef: {name: sa}}}}
            models:
              m: {backends: {a: {ref: a}, b: {ref: b, priority: 1}}}
            """);
        var policy = CliRunner.TempFile("credentials: {gatewayIdentityNamespaces: [default]}\n");
        var r = CliRunner.Run("render", "-f", values, "--policy", policy, "--api-versions", "aigateway.envoyproxy.io/v1alpha1");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: no BackendSecurityPolicy a-credentials for backend a: application default credentials need BackendSecurityPolicy v1beta1", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("name: b-credentials\n", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("name: a-credentials\n", r.Stdout, StringComparison.Ordinal);

        // and without the policy's grant, the gateway's own identity is refused before anything is rendered
        var refused = CliRunner.Run("render", "-f", values);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("backends.a.gcpCredentials: with neither credentialsFile or workloadIdentityFederationConfig this uses application default credentials", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_values_take_namespace_and_name_from_options()
    {
        var values = CliRunner.TempFile(ExtractValues(ChartExample));
        var r = CliRunner.Run("render", "-f", values, "--namespace", "team-b", "--name", "team-b-models");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("namespace: team-b\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("models.ai-gateway.io/source: team-b-models\n", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace: default\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_values_from_stdin()
    {
        var r = CliRunner.RunWithInput(File.ReadAllText(ChartExample), "render", "-f", "-");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("kind: AIGatewayRoute", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_versions_select_older_served_versions()
    {
        var r = CliRunner.Run("render", "-f", ChartExample, "--api-versions", "aigateway.envoyproxy.io/v1alpha1", "gateway.networking.k8s.io/v1alpha3");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("apiVersion: gateway.networking.k8s.io/v1alpha3\nkind: BackendTLSPolicy", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("aigateway.envoyproxy.io/v1beta1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("apiVersion: kuadrant.io/v1\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Owner_uid_adds_a_controller_owner_reference_to_every_object()
    {
        var r = CliRunner.Run("render", "-f", ChartExample, "--owner-uid", "0b1c2d3e-1111-2222-3333-444455556666");

        Assert.Equal(0, r.ExitCode);
        var documents = r.Stdout.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(documents);
        Assert.All(documents, d =>
        {
            Assert.Contains("uid: 0b1c2d3e-1111-2222-3333-444455556666", d, StringComparison.Ordinal);
            Assert.Contains("controller: true", d, StringComparison.Ordinal);
            Assert.Contains("name: chart-readme-example", d, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Invalid_values_exit_1_with_each_error_on_its_own_line_path_first()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: ai-gateway}
            backends:
              a: {resourceName: a, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: s, key: apiKey}}
            models:
              gpt-4:
                backends:
                  one: {ref: a}
                  two: {ref: openai}
            """);
        var r = CliRunner.Run("render", "-f", values);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Stdout);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("models.gpt-4.backends.two.ref: backend \"openai\" is not defined", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_go_to_stderr_and_keep_exit_0()
    {
        var values = CliRunner.TempFile("""
            gatewayRef: {name: ai-gateway}
            backends:
              a: {resourceName: a, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: s, key: apiKey}}
              b: {resourceName: b, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: t, key: apiKey}}
              unused: {resourceName: u, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: u, key: apiKey}}
            models:
              m:
                backends:
                  one: {ref: a}
                  two: {ref: b, priority: 5}
            """);
        var r = CliRunner.Run("render", "-f", values);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: backends.unused: backend unused is not used by any enabled model", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: models.m.backends: priorities 0, 5 have gaps", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("priority: 1\n", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("render")]
    [InlineData("render", "-f", "/nonexistent/values.yaml")]
    [InlineData("render", "-f", "x.yaml", "--bogus")]
    [InlineData("frobnicate")]
    public void Usage_and_io_errors_exit_2(params string[] args)
    {
        var r = CliRunner.Run(args);

        Assert.Equal(2, r.ExitCode);
        Assert.NotEqual(string.Empty, r.Stderr);
    }

    [Fact]
    public void Conflicting_namespace_option_for_a_configmap_is_a_usage_error()
    {
        var r = CliRunner.Run("render", "-f", ChartExample, "--namespace", "elsewhere");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--namespace elsewhere conflicts with the ConfigMap's namespace default", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_policy_file_is_a_usage_error_naming_the_field()
    {
        var policy = CliRunner.TempFile("minBackendsPerModel: 0\nallowedSchemas: [OpenAi]\n");
        var r = CliRunner.Run("render", "-f", ChartExample, "--policy", policy);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("minBackendsPerModel: must be between 1 and 16", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean \"OpenAI\"", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_file_tightens_the_rules()
    {
        var policy = CliRunner.TempFile("minBackendsPerModel: 3\n");
        var r = CliRunner.Run("render", "-f", ChartExample, "--policy", policy);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("models.gpt-4.backends: model gpt-4 has 2 enabled backend(s); at least 3 are required", r.Stderr, StringComparison.Ordinal);
    }

    internal static string ExtractValues(string configMapPath)
    {
        var text = File.ReadAllText(configMapPath);
        var start = text.IndexOf("values.yaml: |\n", StringComparison.Ordinal) + "values.yaml: |\n".Length;
        return string.Join('\n', text[start..].Split('\n').Select(l => l.Length >= 4 ? l[4..] : l.TrimStart()));
    }
}
