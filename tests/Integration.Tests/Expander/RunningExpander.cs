using System.Net.Http;
using System.Text.Json.Nodes;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Kube;
using AiGatewayModels.Integration.Tests.ControlPlane;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// An expander controller started in-process against the test control plane, scoped to one test namespace (its
/// values ConfigMaps, its Lease), with metrics on a free loopback port. Stop it at the end of each test.
/// </summary>
internal sealed class RunningExpander : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;
    private readonly StringWriter logText = new();
    private int stopped;

    private RunningExpander(string kubeconfigPath, ControllerOptions options, IEnumerable<DelegatingHandler>? handlers, TimeSpan? watchTimeout)
    {
        Client = KubeClient.Connect(new KubeTarget(kubeconfigPath), "ai-gateway-models-tests", handlers);
        if (watchTimeout is { } t)
        {
            Client.WatchTimeout = t;
        }

        Controller = new ExpanderController(Client, options, new ControllerLog(TextWriter.Synchronized(logText), debug: true));
        run = Task.Run(() => Controller.RunAsync(stop.Token));
    }

    public KubeClient Client { get; }

    public ExpanderController Controller { get; }

    /// <summary>Requests sent so far that write (POST, PUT, PATCH, DELETE), counted as they leave the client.</summary>
    public long Writes => Client.Calls.Writes;

    public string Log => logText.ToString();

    /// <param name="kubeconfigPath">another kubeconfig than the control plane's (e.g. one that goes through a proxy).</param>
    /// <param name="handlers">handlers in the controller's client pipeline (tests hold or freeze requests with them).</param>
    /// <param name="watchTimeout">how long each watch request lasts (the default is 240 s).</param>
    public static RunningExpander Start(
        ControlPlaneFixture controlPlane, string ns, Func<ControllerOptions, ControllerOptions>? configure = null, string? kubeconfigPath = null,
        IEnumerable<DelegatingHandler>? handlers = null, TimeSpan? watchTimeout = null)
    {
        var options = new ControllerOptions
        {
            Namespace = ns,
            WatchNamespace = ns,
            MetricsBindAddress = "127.0.0.1:0",
            Identity = "expander-" + Guid.NewGuid().ToString("N")[..6],
            // client-go's timings: shorter Leases flap on a loaded 2-core machine (a renewal late by a few seconds loses
            // leadership mid-test); a test that waits for an expiry pays the 15 s once
            Lease = LeaseTimings.Default,
            MinRetry = TimeSpan.FromMilliseconds(200),
            MaxRetry = TimeSpan.FromSeconds(2),
        };
        return new RunningExpander(kubeconfigPath ?? controlPlane.KubeconfigPath, configure?.Invoke(options) ?? options, handlers, watchTimeout);
    }

    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://{Controller.MetricsEndpoint}/metrics");
    }

    public async Task<string> HealthAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://{Controller.MetricsEndpoint}/healthz");
    }

    /// <summary>/healthz (or /healthz?verbose): the status code and the body, whatever the status.</summary>
    public async Task<(int Status, string Body)> HealthCheckAsync(bool verbose = false)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://{Controller.MetricsEndpoint}/healthz{(verbose ? "?verbose" : string.Empty)}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Cancels and waits for the controller (graceful: the Lease is released unless the options say otherwise).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Controller.Dispose();
            Client.Dispose();
            stop.Dispose();
            await logText.DisposeAsync();
        }
    }
}
