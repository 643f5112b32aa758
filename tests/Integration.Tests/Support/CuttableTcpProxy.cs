using System.Net;
using System.Net.Sockets;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>
/// A loopback TCP proxy to one upstream port that a test can cut: <see cref="Cut"/> closes every proxied connection and
/// closes each new one at once (the listener stays bound, so the port is never lost), <see cref="Resume"/> proxies again.
/// TLS passes through untouched (the upstream's certificate names 127.0.0.1, not a port).
/// </summary>
public sealed class CuttableTcpProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly List<TcpClient> open = [];
    private readonly Task acceptLoop;
    private bool cut;

    public CuttableTcpProxy(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener.Start();
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Cut()
    {
        lock (gate)
        {
            cut = true;
            foreach (var c in open)
            {
                c.Dispose();
            }

            open.Clear();
        }
    }

    public void Resume()
    {
        lock (gate)
        {
            cut = false;
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        Cut();
        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends with the listener
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient downstream;
            try
            {
                downstream = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ProxyAsync(downstream));
        }
    }

    private async Task ProxyAsync(TcpClient downstream)
    {
        var upstream = new TcpClient();
        lock (gate)
        {
            if (cut)
            {
                downstream.Dispose();
                upstream.Dispose();
                return;
            }

            open.Add(downstream);
            open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stop.Token);
            var a = downstream.GetStream();
            var b = upstream.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // either side closed, or the proxy was cut
        }
        finally
        {
            lock (gate)
            {
                open.Remove(downstream);
                open.Remove(upstream);
            }

            downstream.Dispose();
            upstream.Dispose();
        }
    }
}
