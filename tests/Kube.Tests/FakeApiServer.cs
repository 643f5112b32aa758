using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Kube.Tests;

/// <summary>One request as the stand-in apiserver saw it.</summary>
internal sealed record SeenRequest(string Method, string PathAndQuery, string? ContentType, string? Authorization, string Body, string? ClientCertificate = null);

/// <summary>
/// A loopback HTTPS server that answers like an apiserver as a test scripts it: for what the real one cannot be made to
/// do (a certificate for another name, a Status of the test's choosing, the exact request the client sent).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeApiServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public Uri Url { get; private set; } = null!;

    /// <param name="requireClientCertificate">ask for a client certificate and record its subject in <see cref="SeenRequest.ClientCertificate"/>.</param>
    public static async Task<FakeApiServer> StartAsync(X509Certificate2 certificate, Func<HttpContext, Task> answer, bool requireClientCertificate = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            if (requireClientCertificate)
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                https.AllowAnyClientCertificate(); // the test reads the subject; who issued it is not the point here
            }
        })));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            server.Requests.Enqueue(new SeenRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType,
                context.Request.Headers.Authorization.ToString(), body, context.Connection.ClientCertificate?.Subject));
            await answer(context);
        });
        await app.StartAsync();
        server.Url = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>
    /// A kubeconfig for this server that trusts <paramref name="caData"/>, with <paramref name="userYaml"/> as its user and
    /// <paramref name="clusterYaml"/> as more fields of its cluster.
    /// </summary>
    public string Kubeconfig(string dir, string caData, string userYaml = "token: test-token", string clusterYaml = "")
    {
        var path = Path.Combine(dir, "kubeconfig-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url.AbsoluteUri.TrimEnd('/')}
                certificate-authority-data: {caData}
            {string.Join('\n', clusterYaml.Split('\n').Select(l => "    " + l))}
            users:
            - name: u
              user:
            {string.Join('\n', userYaml.Split('\n').Select(l => "    " + l))}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: u
            current-context: fake

            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
