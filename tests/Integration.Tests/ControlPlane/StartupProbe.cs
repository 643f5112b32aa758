using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>Polls health endpoints of freshly started processes, trusting only the control plane's own CA.</summary>
public sealed class StartupProbe : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly X509Certificate2 ca;
    private readonly HttpClient http;

    public StartupProbe(ControlPlaneCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ca = X509Certificate2.CreateFromPem(credentials.CaPem);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateAgainstCa;
        http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Token);
    }

    /// <summary>True when <paramref name="url"/> answers 200 with a body that starts with <paramref name="expectedBody"/>.</summary>
    public async Task<bool> AnswersAsync(Uri url, string expectedBody, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode && body.TrimStart().StartsWith(expectedBody, StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // a request timeout
        }
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails early when <paramref name="process"/> exits.</summary>
    public static async Task WaitAsync(ProcessHandle process, Func<Task<bool>> ready, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(ready);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} (pid {process.Id}) exited during startup");
            }

            if (await ready())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{process.Name} (pid {process.Id}) was not ready after {timeout.TotalSeconds} s");
            }

            await Task.Delay(Interval);
        }
    }

    public void Dispose()
    {
        http.Dispose();
        ca.Dispose();
    }

    private bool ValidateAgainstCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 server || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(server);
    }
}
