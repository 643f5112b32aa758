using AiGatewayModels.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace AiGatewayModels.Webhook.Tests.Support;

/// <summary>The real webhook service, started in-process on https://127.0.0.1:&lt;free port&gt; with files from <see cref="TestTls"/>.</summary>
public sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookServer(WebApplication app, TestTls tls, string dir, Uri baseUrl, HttpClient client)
    {
        this.app = app;
        Tls = tls;
        Dir = dir;
        BaseUrl = baseUrl;
        Client = client;
    }

    public TestTls Tls { get; }

    public string Dir { get; }

    public string CertFile => Path.Combine(Dir, "tls.crt");

    public string KeyFile => Path.Combine(Dir, "tls.key");

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    /// <summary>The server's services, for tests that hold one of its bounds (the review budget) on purpose.</summary>
    public IServiceProvider Services => app.Services;

    public static async Task<WebhookServer> StartAsync(params string[] extraArgs)
    {
        var tls = new TestTls();
        var dir = Directory.CreateTempSubdirectory("webhook-tests-").FullName;
        tls.WriteServingCertificate(Path.Combine(dir, "tls.crt"), Path.Combine(dir, "tls.key"));
        string[] args =
        [
            "--urls", "https://127.0.0.1:0",
            "--tls-cert-file", Path.Combine(dir, "tls.crt"),
            "--tls-key-file", Path.Combine(dir, "tls.key"),
            .. extraArgs.Length == 0 ? ["--no-cluster", "true"] : extraArgs,
        ];
        var app = WebhookApp.Build(args);
        await app.StartAsync();
        var url = new Uri(app.Urls.Single().ReplaceAll("0.0.0.0", "127.0.0.1"));
        return new WebhookServer(app, tls, dir, url, tls.Client());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Tls.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>One server for a test class (xunit class fixture).</summary>
public sealed class WebhookServerFixture : Xunit.IAsyncLifetime
{
    private WebhookServer? server;

    public WebhookServer Server => server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => server = await WebhookServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
