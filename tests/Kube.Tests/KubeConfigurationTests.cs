using Xunit;

namespace AiGatewayModels.Kube.Tests;

/// <summary>Which server and credentials a kubeconfig gives the client, and the errors that name what is wrong.</summary>
public sealed class KubeConfigurationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kube-config-").FullName;

    [Fact]
    public void The_current_context_is_used_unless_a_context_is_named()
    {
        var path = TwoContexts();
        Assert.Equal("https://a.example:6443", KubeConfiguration.Load(new KubeTarget(path)).Host.TrimEnd('/'));
        var b = KubeConfiguration.Load(new KubeTarget(path, "b"));
        Assert.Equal("https://b.example:443", b.Host.TrimEnd('/'));
        Assert.Equal("token-b", b.AccessToken);
    }

    [Fact]
    public void An_unknown_context_and_a_missing_file_are_named_in_the_error()
    {
        var unknown = Assert.Throws<KubeConfigurationException>(() => KubeConfiguration.Load(new KubeTarget(TwoContexts(), "staging")));
        Assert.Contains("staging", unknown.Message, StringComparison.Ordinal);

        var missing = Path.Combine(dir, "nope");
        var notThere = Assert.Throws<KubeConfigurationException>(() => KubeConfiguration.Load(new KubeTarget(missing)));
        Assert.Contains(missing, notThere.Message, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", notThere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_exec_plugin_is_reported_when_connecting()
    {
        var script = Path.Combine(dir, "broken-plugin.sh");
        File.WriteAllText(script, "echo 'no credentials for you' >&2\nexit 3\n");
        var path = OneUser("exec-kubeconfig", $"""
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: /bin/sh
              args: ["{script}"]
            """);
        var e = Assert.Throws<KubeConfigurationException>(() => KubeConfiguration.Load(new KubeTarget(path)));
        Assert.Contains("exec", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gcp", "gke-gcloud-auth-plugin")]
    [InlineData("azure", "kubelogin")]
    public void A_removed_auth_provider_is_an_error_that_names_its_exec_plugin(string provider, string plugin)
    {
        var path = OneUser("auth-provider-" + provider, $"""
            auth-provider:
              name: {provider}
              config:
                access-token: not-a-real-token
            """);
        var e = Assert.Throws<KubeConfigurationException>(() => KubeConfiguration.Load(new KubeTarget(path)));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(plugin, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A kubeconfig with one cluster (nothing listens there) and one user, <paramref name="userYaml"/>.</summary>
    private string OneUser(string file, string userYaml)
    {
        var path = Path.Combine(dir, file);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:1
            users:
            - name: u
              user:
            {string.Join('\n', userYaml.Split('\n').Select(l => "    " + l))}
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x

            """);
        return path;
    }

    private string TwoContexts()
    {
        var path = Path.Combine(dir, "two-contexts");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: a
              cluster: {server: "https://a.example:6443"}
            - name: b
              cluster: {server: "https://b.example:443"}
            users:
            - name: ua
              user: {token: token-a}
            - name: ub
              user: {token: token-b}
            contexts:
            - name: a
              context: {cluster: a, user: ua}
            - name: b
              context: {cluster: b, user: ub}
            current-context: a

            """);
        return path;
    }
}
