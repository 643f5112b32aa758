using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace AiGatewayModels.Kube.Tests;

/// <summary>
/// The facade against a stand-in apiserver: TLS that checks the host name, the exact requests of apply and watch,
/// Status errors, and an exec credential plugin's token on the wire.
/// </summary>
public sealed class KubeClientTests : IDisposable
{
    private static readonly ApiResource Backends = new("gateway.envoyproxy.io", "v1alpha1", "backends");
    private readonly string dir = Directory.CreateTempSubdirectory("kube-client-").FullName;
    private readonly TestCertificates ca = new();

    [Fact]
    public async Task The_server_certificate_must_chain_to_the_kubeconfig_CA_and_name_the_host()
    {
        // issued by the kubeconfig's CA for 127.0.0.1: accepted
        using (var good = ca.Serving("127.0.0.1"))
        {
            await using var server = await FakeApiServer.StartAsync(good, Json("""{"kind":"Backend","metadata":{"name":"b"}}"""));
            using var client = Client(server);
            Assert.Equal("b", (await client.GetAsync(Backends, "ns", "b", default))!.Name());
        }

        // issued by the same CA, for another name: the package alone would accept it (it checks the chain only)
        using (var otherName = ca.Serving("apiserver.elsewhere.example"))
        {
            await using var server = await FakeApiServer.StartAsync(otherName, Json("""{"kind":"Backend"}"""));
            using var client = Client(server);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Backends, "ns", "b", default));
            Assert.Empty(server.Requests);
        }

        // for the right name, by another CA
        using var stranger = new TestCertificates("another-ca");
        using (var foreign = stranger.Serving("127.0.0.1"))
        {
            await using var server = await FakeApiServer.StartAsync(foreign, Json("""{"kind":"Backend"}"""));
            using var client = Client(server);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Backends, "ns", "b", default));
            Assert.Empty(server.Requests);
        }
    }

    [Fact]
    public async Task Tls_server_name_is_the_name_the_certificate_is_checked_for()
    {
        // the certificate names only the apiserver's internal name, as behind a load balancer or a tunnel
        using var internalName = ca.Serving("apiserver.internal.example");
        await using var server = await FakeApiServer.StartAsync(internalName, Json("""{"kind":"Backend","metadata":{"name":"b"}}"""));

        using (var named = KubeClient.Connect(new KubeTarget(server.Kubeconfig(dir, ca.CaData, clusterYaml: "tls-server-name: apiserver.internal.example")), "kube-tests"))
        {
            Assert.Equal("b", (await named.GetAsync(Backends, "ns", "b", default))!.Name());
        }

        using var unnamed = Client(server);
        await Assert.ThrowsAsync<HttpRequestException>(() => unnamed.GetAsync(Backends, "ns", "b", default));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_client_certificate_from_the_kubeconfig_is_presented()
    {
        using var cert = ca.Serving("127.0.0.1");
        await using var server = await FakeApiServer.StartAsync(cert, Json("""{"kind":"Backend","metadata":{"name":"b"}}"""), requireClientCertificate: true);
        var (certificate, key) = ca.Client("system:admin");
        using var client = KubeClient.Connect(new KubeTarget(server.Kubeconfig(dir, ca.CaData, $"client-certificate-data: {certificate}\nclient-key-data: {key}")), "kube-tests");

        Assert.NotNull(await client.GetAsync(Backends, "ns", "b", default));
        var request = Assert.Single(server.Requests);
        Assert.Equal("CN=system:admin", request.ClientCertificate);
        Assert.Empty(request.Authorization ?? string.Empty);
    }

    [Fact]
    public void The_package_s_own_check_accepts_a_certificate_for_another_name_which_is_why_it_is_replaced()
    {
        using var otherName = ca.Serving("apiserver.elsewhere.example");
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        var errors = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors | System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch;
        Assert.True(k8s.Kubernetes.CertificateValidationCallBack(this, [ca.Ca], otherName, chain, errors));
        Assert.False(new ServerCertificateCheck([ca.Ca]).Validate(this, otherName, null, errors));
        using var right = ca.Serving("127.0.0.1");
        Assert.True(new ServerCertificateCheck([ca.Ca]).Validate(this, right, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public async Task Apply_is_a_server_side_apply_with_our_field_manager_and_dry_run_stores_nothing()
    {
        using var cert = ca.Serving("127.0.0.1");
        await using var server = await FakeApiServer.StartAsync(cert, Json("""{"kind":"Backend","metadata":{"name":"openai","uid":"u1"}}"""));
        using var client = Client(server);
        var body = new JsonObject { ["apiVersion"] = "gateway.envoyproxy.io/v1alpha1", ["kind"] = "Backend", ["metadata"] = new JsonObject { ["name"] = "openai" } };

        await client.ApplyAsync(Backends, "team-a", body, force: true, default);
        await client.ApplyAsync(Backends, "team-a", body, force: false, default, dryRun: true);

        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r =>
        {
            Assert.Equal("PATCH", r.Method);
            Assert.StartsWith("application/apply-patch+yaml", r.ContentType, StringComparison.Ordinal);
            Assert.StartsWith("/apis/gateway.envoyproxy.io/v1alpha1/namespaces/team-a/backends/openai?", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Contains("fieldManager=ai-gateway-models", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Equal("Bearer test-token", r.Authorization);
            Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(r.Body)));
        });
        Assert.Contains("force=true", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("dryRun", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("dryRun=All", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("force", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(2, client.Calls.Writes);
    }

    [Fact]
    public async Task Errors_carry_the_Status_reason_and_message_and_a_missing_object_is_null()
    {
        using var cert = ca.Serving("127.0.0.1");
        await using var server = await FakeApiServer.StartAsync(cert, async context =>
        {
            (context.Response.StatusCode, var text) = context.Request.Method switch
            {
                "GET" when context.Request.Path.Value!.EndsWith("/missing", StringComparison.Ordinal) => (404, Status(404, "NotFound", "backends \"missing\" not found")),
                "GET" => (500, "<html>proxy error</html>"),
                _ => (409, Status(409, "Conflict", "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.endpoints")),
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(text);
        });
        using var client = Client(server);

        Assert.Null(await client.GetAsync(Backends, "ns", "missing", default));
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() =>
            client.ApplyAsync(Backends, "ns", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } }, force: false, default));
        Assert.True(conflict.IsConflict);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Contains("conflict with \"kubectl\"", conflict.ApiMessage, StringComparison.Ordinal);
        var broken = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(Backends, "ns", "other", default));
        Assert.Equal(HttpStatusCode.InternalServerError, broken.Status);
        Assert.Equal("InternalServerError", broken.Reason);
        Assert.DoesNotContain("proxy error", broken.Message, StringComparison.Ordinal); // not a Status: the body is not repeated
    }

    [Fact]
    public async Task A_watch_yields_each_event_line_and_passes_ERROR_events_on()
    {
        using var cert = ca.Serving("127.0.0.1");
        await using var server = await FakeApiServer.StartAsync(cert, async context =>
        {
            context.Response.ContentType = "application/json";
            foreach (var line in (string[])[
                """{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"11"}}}""",
                """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"12"}}}""",
                """{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}"""])
            {
                await context.Response.WriteAsync(line + "\n");
                await context.Response.Body.FlushAsync();
            }
        });
        using var client = Client(server);

        var events = new List<WatchEvent>();
        await foreach (var e in client.WatchAsync(ApiResource.ConfigMaps, "team-a", "models.ai-gateway.io/values=true", null, "10", 30, default))
        {
            events.Add(e);
        }

        Assert.Equal(["ADDED", "BOOKMARK", "ERROR"], events.Select(e => e.Type));
        Assert.Equal("a", events[0].Item.Name());
        Assert.Equal(410, events[2].Item["code"]!.GetValue<int>());
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("/api/v1/namespaces/team-a/configmaps?watch=true&labelSelector=models.ai-gateway.io%2Fvalues%3Dtrue&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=30",
            request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("Bearer test-token", request.Authorization);
    }

    [Fact]
    public async Task An_exec_credential_plugin_s_token_is_what_the_client_sends()
    {
        var script = Path.Combine(dir, "plugin.sh");
        File.WriteAllText(script, """
            echo ran >> "$(dirname "$0")/runs"
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-the-plugin"}}'

            """);
        using var cert = ca.Serving("127.0.0.1");
        await using var server = await FakeApiServer.StartAsync(cert, Json("""{"kind":"Backend","metadata":{"name":"b"}}"""));
        var kubeconfig = server.Kubeconfig(dir, ca.CaData, $"""
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: /bin/sh
              args: ["{script}"]
            """);
        using var client = KubeClient.Connect(new KubeTarget(kubeconfig), "kube-tests");

        Assert.NotNull(await client.GetAsync(Backends, "ns", "b", default));
        Assert.Equal("Bearer from-the-plugin", Assert.Single(server.Requests).Authorization);
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(dir, "runs")));
    }

    public void Dispose()
    {
        ca.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private KubeClient Client(FakeApiServer server) => KubeClient.Connect(new KubeTarget(server.Kubeconfig(dir, ca.CaData)), "kube-tests");

    private static Func<HttpContext, Task> Json(string body) => async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    };

    private static string Status(int code, string reason, string message) =>
        new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["code"] = code, ["reason"] = reason, ["message"] = message }.ToJsonString();
}
