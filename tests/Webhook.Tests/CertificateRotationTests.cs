using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>New certificate files are served to new connections within 10 s, without a restart; broken files are ignored.</summary>
public sealed class CertificateRotationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Swapped_files_are_served_to_new_connections_and_half_written_files_keep_the_last_good_certificate()
    {
        await using var server = await WebhookServer.StartAsync();
        var first = await ServedThumbprintAsync(server);

        // a half-written pair: the key file is truncated; the server keeps serving the first certificate
        await File.WriteAllTextAsync(server.KeyFile, "-----BEGIN PRIVATE KEY-----\nMIGH");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(first, await ServedThumbprintAsync(server));

        var second = server.Tls.WriteServingCertificate(server.CertFile, server.KeyFile, "rotated");
        Assert.NotEqual(first, second);
        var started = DateTime.UtcNow;
        string served;
        do
        {
            served = await ServedThumbprintAsync(server);
        }
        while (served != second && DateTime.UtcNow - started < Bound && await Delay());

        Assert.Equal(second, served);
        var metrics = await server.Client.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        Assert.Contains("webhook_certificate_reloads_total 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("webhook_certificate_reload_errors_total 0", metrics, StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
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
