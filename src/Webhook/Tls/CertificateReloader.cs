using System.Security.Cryptography.X509Certificates;
using AiGatewayModels.Webhook.Observability;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Tls;

/// <summary>
/// The serving certificate from PEM files, reloaded when the files change (cert-manager or kubelet rotate them in place).
/// Kestrel asks <see cref="Current"/> on every TLS handshake, so new connections get a new certificate without a restart.
/// A timer compares the files' modification times and sizes every <see cref="PollInterval"/>; a half-written or invalid
/// pair is ignored (the last good certificate stays) and tried again on the next tick.
/// </summary>
public sealed partial class CertificateReloader : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly string certFile;
    private readonly string keyFile;
    private readonly ILogger logger;
    private readonly WebhookMetrics metrics;
    private readonly Timer timer;
    private readonly Lock gate = new();
    private (DateTime CertTime, long CertSize, DateTime KeyTime, long KeySize) seen;
    private X509Certificate2 current;

    public CertificateReloader(string certFile, string keyFile, ILogger logger, WebhookMetrics metrics)
    {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.logger = logger;
        this.metrics = metrics;
        seen = Stamp();
        current = Load(certFile, keyFile);
        timer = new Timer(_ => Refresh(), null, PollInterval, PollInterval);
    }

    public X509Certificate2 Current => Volatile.Read(ref current);

    /// <summary>Checks the files now; called by the timer.</summary>
    public void Refresh()
    {
        lock (gate)
        {
            var stamp = Stamp();
            if (stamp == seen)
            {
                return;
            }

            try
            {
                var loaded = Load(certFile, keyFile);
                seen = stamp;
                Volatile.Write(ref current, loaded);
                metrics.CertificateReloaded();
                LogReloaded(logger, loaded.Subject, loaded.NotAfter);
                // the old certificate is not disposed: handshakes in flight may still be using it
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                // keep the last good certificate; the files are probably being written; try again on the next tick
                metrics.CertificateReloadFailed();
                LogReloadFailed(logger, e.GetType().Name);
            }
        }
    }

    public static X509Certificate2 Load(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        // round-trip through PKCS#12 so that SslStream can use the private key on every platform
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => timer.Dispose();

    private (DateTime, long, DateTime, long) Stamp()
    {
        var c = new FileInfo(certFile);
        var k = new FileInfo(keyFile);
        return (c.Exists ? c.LastWriteTimeUtc : default, c.Exists ? c.Length : -1, k.Exists ? k.LastWriteTimeUtc : default, k.Exists ? k.Length : -1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving certificate reloaded: {Subject}, valid until {NotAfter}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the certificate files changed but could not be loaded ({Error}); keeping the last good certificate")]
    private static partial void LogReloadFailed(ILogger logger, string error);
}
