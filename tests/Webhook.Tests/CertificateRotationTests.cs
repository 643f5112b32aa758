using System.Globalization;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>New certificate files are served to new connections without a restart; broken files are ignored.</summary>
public sealed class CertificateRotationTests
{
    /// <summary>A limit for what the 2 s file poll does on a loaded machine; never a speed assertion.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Swapped_files_are_served_to_new_connections_and_half_written_files_keep_the_last_good_certificate()
    {
        await using var server = await WebhookServer.StartAsync();
        var first = await ServedThumbprintAsync(server);
        Assert.Equal(0, await MetricAsync(server, "webhook_certificate_reload_errors_total"));

        // a half-written pair (the key file truncated): once the reloader has tried it (its error counter says so),
        // the server still serves the first certificate
        await File.WriteAllTextAsync(server.KeyFile, "-----BEGIN PRIVATE KEY-----\nMIGH");
        await UntilAsync(async () => await MetricAsync(server, "webhook_certificate_reload_errors_total") >= 1, "the reloader tries the broken pair");
        Assert.Equal(first, await ServedThumbprintAsync(server));
        Assert.Equal(0, await MetricAsync(server, "webhook_certificate_reloads_total"));

        var second = server.Tls.WriteServingCertificate(server.CertFile, server.KeyFile, "rotated");
        Assert.NotEqual(first, second);
        await UntilAsync(async () => await ServedThumbprintAsync(server) == second, "new connections get the rotated certificate");
        Assert.Equal(1, await MetricAsync(server, "webhook_certificate_reloads_total"));
    }

    /// <summary>The value of an unlabelled sample of /metrics; fails (never reads 0) when the metric is missing.</summary>
    private static async Task<double> MetricAsync(WebhookServer server, string name)
    {
        var text = await server.Client.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"/metrics has no sample {name}:\n{text}");
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: still not the case after {Bound.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    /// <summary>A new connection (no keep-alive, a fresh handler) and the certificate it was served.</summary>
    private static async Task<string> ServedThumbprintAsync(WebhookServer server)
    {
        string? thumbprint = null;
        using var client = server.Tls.Client(c => thumbprint = c.Thumbprint, keepAlive: false);
        Assert.Equal("ok\n", await client.GetStringAsync(new Uri(server.BaseUrl, "/healthz")));
        return thumbprint!;
    }
}
