using System.Net;
using System.Net.Sockets;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>Free loopback TCP ports, found by letting the kernel pick them (bind port 0 on 127.0.0.1).</summary>
public static class FreePorts
{
    /// <summary><paramref name="count"/> distinct ports: all listeners stay open until every port is picked.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
