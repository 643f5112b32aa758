using System.Runtime.InteropServices;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Cli;

/// <summary><c>run</c>: the controller. Stops gracefully on SIGTERM or SIGINT (in-flight reconciles end, the Lease is released).</summary>
internal static class RunCommand
{
    public sealed record Options(
        string? Kubeconfig,
        string? Context,
        string? Namespace,
        string? WatchNamespaces,
        string MetricsBindAddress,
        bool LeaderElect,
        string PolicyConfigMap,
        int Workers,
        int ResyncSeconds);

    public static int Run(Options o, TextWriter stderr)
    {
        var ns = o.Namespace ?? (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } env ? env : null);
        if (o.LeaderElect && ns is null)
        {
            throw new UsageException("leader election needs the expander's namespace: --namespace or POD_NAMESPACE (or --leader-elect=false for a single replica)");
        }

        if (o.Workers < 1 || o.ResyncSeconds < 1)
        {
            throw new UsageException("--workers and --resync-period must be at least 1");
        }

        using var client = Connect(o);

        var log = new ControllerLog(stderr);
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we exit on our own, after the graceful stop
            log.Info($"{context.Signal}: stopping");
            stop.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var options = new ControllerOptions
        {
            Namespace = ns,
            WatchNamespaces = Namespaces(o.WatchNamespaces),
            MetricsBindAddress = o.MetricsBindAddress,
            LeaderElect = o.LeaderElect,
            PolicyConfigMap = o.PolicyConfigMap,
            Workers = o.Workers,
            ResyncPeriod = TimeSpan.FromSeconds(o.ResyncSeconds),
            Identity = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : new ControllerOptions().Identity,
        };
        try
        {
            using var controller = new ExpanderController(client, options, log);
            log.Info($"expander run: apiserver {client.Server}, metrics on {controller.MetricsEndpoint?.ToString() ?? "(off)"}, identity {options.Identity}");
            controller.RunAsync(stop.Token).GetAwaiter().GetResult();
            return ExitCodes.Valid;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"--metrics-bind-address {o.MetricsBindAddress}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static KubeClient Connect(Options o)
    {
        try
        {
            return KubeClient.Connect(new KubeTarget(o.Kubeconfig, o.Context), "ai-gateway-models-expander");
        }
        catch (KubeConfigurationException e)
        {
            throw new UsageException("cannot connect: " + e.Message);
        }
    }

    private static IReadOnlyList<string>? Namespaces(string? text)
    {
        try
        {
            return Common.NamespaceList.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
