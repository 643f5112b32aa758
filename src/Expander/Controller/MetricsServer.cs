using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// <c>/metrics</c> and <c>/healthz</c> on their own port, with a minimal HTTP/1.1 server on a socket: GET only, one
/// request per connection. Enough for Prometheus and kubelet probes, and no web framework in the AOT binary.
/// </summary>
internal sealed class MetricsServer(IPEndPoint endpoint, ControllerMetrics metrics, Func<IReadOnlyList<HealthCheck>> health, ControllerLog log) : IDisposable
{
    private readonly TcpListener listener = new(endpoint);

    public IPEndPoint LocalEndpoint => (IPEndPoint)listener.LocalEndpoint;

    public static IPEndPoint Parse(string address)
    {
        if (!IPEndPoint.TryParse(address, out var ep))
        {
            throw new ArgumentException($"--metrics-bind-address {address}: expected HOST:PORT with an IP address, e.g. 127.0.0.1:8081 or 0.0.0.0:8081");
        }

        return ep;
    }

    public void Start() => listener.Start();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.Warn($"metrics server: {e.Message}");
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket, ct), ct);
        }
    }

    public void Dispose() => listener.Stop();

    /// <summary>As the apiserver's own /healthz: "ok", or 500 with a line per failed check; <c>?verbose</c> lists every check.</summary>
    private (int Status, string Type, string Body) Health(bool verbose)
    {
        var checks = health();
        var failed = checks.Where(c => c.Problem is not null).ToList();
        if (failed.Count == 0 && !verbose)
        {
            return (200, "text/plain", "ok\n");
        }

        var sb = new StringBuilder();
        foreach (var c in verbose ? checks : failed)
        {
            sb.Append(c.Problem is null ? $"[+]{c.Name} ok\n" : $"[-]{c.Name} failed: {c.Problem}\n");
        }

        sb.Append(failed.Count == 0 ? "healthz check passed\n" : "healthz check failed\n");
        return (failed.Count == 0 ? 200 : 500, "text/plain", sb.ToString());
    }

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        using var _ = socket;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var buffer = new byte[8192];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                {
                    break;
                }

                read += n;
                if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }

            var requestLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0].Split(' ');
            var (status, type, body) = requestLine is ["GET", var target, ..]
                ? target.Split('?')[0] switch
                {
                    "/metrics" => (200, "text/plain; version=0.0.4; charset=utf-8", metrics.Render()),
                    "/healthz" => Health(target.Contains("verbose", StringComparison.Ordinal)),
                    _ => (404, "text/plain", "not found\n"),
                }
                : (405, "text/plain", "only GET\n");
            var payload = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: {type}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            await stream.WriteAsync(payload, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // a client that went away or was too slow
        }
    }
}
