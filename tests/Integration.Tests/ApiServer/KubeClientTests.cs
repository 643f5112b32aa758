using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Kube;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>
/// The product's client (KubernetesClient.Aot behind src/Kube) on the real apiserver, for what the next features build
/// on: an exec credential plugin's kubeconfig, SubjectAccessReviews of another user, and server-side apply with
/// dry-run (validated, defaulted, stored nowhere).
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class KubeClientTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly ApiResource Backends = new("gateway.envoyproxy.io", "v1alpha1", "backends");

    [Fact]
    public async Task An_exec_plugin_kubeconfig_runs_the_controller()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exec-plugin");
        await ValuesFixtures.CreateSourceSecretAsync(controlPlane.Client, ns, "exec-plugin-test-key");
        var dir = Directory.CreateTempSubdirectory("exec-plugin-").FullName;
        try
        {
            var runs = Path.Combine(dir, "runs");
            var script = Path.Combine(dir, "credentials.sh");
            await File.WriteAllTextAsync(script, $$$"""
                echo run >> '{{{runs}}}'
                echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{controlPlane.AdminToken}}}"}}'

                """);
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            controlPlane.WriteKubeconfig(kubeconfig, "exec-user", $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: /bin/sh
                  args: ["{script}"]
                """);

            await using var expander = RunningExpander.Start(controlPlane, ns, kubeconfigPath: kubeconfig);
            var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Values());
            var expected = await ValuesFixtures.ExpectedAsync(expander.Client, cm);
            await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, "every object is applied with the plugin's token");
            Assert.NotEmpty(await File.ReadAllLinesAsync(runs));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_SubjectAccessReview_answers_for_another_user()
    {
        var ns = await controlPlane.CreateNamespaceAsync("access-review");
        using var client = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "ai-gateway-models-tests");
        var nobody = new Requester("tenant-without-rights", ["system:authenticated"]);
        var admin = new Requester("an-admin", ["system:masters", "system:authenticated"]);

        var denied = await client.ReviewAccessAsync(nobody, "get", ApiResource.Secrets, ns, "openai-credentials", default);
        var allowed = await client.ReviewAccessAsync(admin, "get", ApiResource.Secrets, ns, "openai-credentials", default);
        Assert.False(denied.Allowed);
        Assert.True(allowed.Allowed, allowed.Reason);
    }

    [Fact]
    public async Task A_dry_run_apply_is_validated_and_stores_nothing()
    {
        var ns = await controlPlane.CreateNamespaceAsync("dry-run");
        using var client = KubeClient.Connect(new KubeTarget(controlPlane.KubeconfigPath), "ai-gateway-models-tests");
        JsonObject Backend(JsonNode port) => new()
        {
            ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1",
            ["kind"] = "Backend",
            ["metadata"] = new JsonObject { ["name"] = "openai", ["labels"] = new JsonObject { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue } },
            ["spec"] = new JsonObject { ["endpoints"] = new JsonArray(new JsonObject { ["fqdn"] = new JsonObject { ["hostname"] = "api.openai.com", ["port"] = port } }) },
        };

        var answer = await client.ApplyAsync(Backends, ns, Backend(443), force: true, default, dryRun: true);
        Assert.Equal("openai", answer.Name());
        Assert.Contains("\"manager\":\"ai-gateway-models\"", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await client.GetAsync(Backends, ns, "openai", default));
        Assert.Empty((JsonArray)(await client.ListAsync(Backends, ns, null, null, default))["items"]!);

        var invalid = await Assert.ThrowsAsync<KubeApiException>(() => client.ApplyAsync(Backends, ns, Backend(70000), force: true, default, dryRun: true));
        Assert.True(invalid.IsInvalid, invalid.Message);
        Assert.Contains("port", invalid.ApiMessage, StringComparison.Ordinal);

        await client.ApplyAsync(Backends, ns, Backend(443), force: true, default);
        Assert.NotNull(await client.GetAsync(Backends, ns, "openai", default));
    }
}
