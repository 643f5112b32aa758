namespace AiGatewayModels.Expander.Controller;

/// <summary>Settings of <c>expander run</c>; tests build them directly.</summary>
internal sealed record ControllerOptions
{
    /// <summary>The expander's own namespace: the Lease and the policy ConfigMap live there. Null: no policy ConfigMap, and no leader election.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// Only these namespaces' values ConfigMaps and generated objects, each watched on its own (null: the whole cluster,
    /// one watch per kind). The namespaced install (deploy/overlays/namespaced) names them, so that the expander needs
    /// Secrets only there.
    /// </summary>
    public IReadOnlyList<string>? WatchNamespaces { get; init; }

    /// <summary>One namespace: <see cref="WatchNamespaces"/> of one.</summary>
    public string? WatchNamespace
    {
        get => WatchNamespaces is [var only] ? only : null;
        init => WatchNamespaces = value is null ? null : [value];
    }

    public string PolicyConfigMap { get; init; } = Common.Policy.PolicyWatch.DefaultName;

    public string LeaseName { get; init; } = "ai-gateway-models-expander";

    public string Identity { get; init; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    public bool LeaderElect { get; init; } = true;

    /// <summary>Release the Lease on a graceful stop (tests turn this off to play a killed leader).</summary>
    public bool ReleaseLeaseOnStop { get; init; } = true;

    public Kube.LeaseTimings Lease { get; init; } = Kube.LeaseTimings.Default;

    public int Workers { get; init; } = 4;

    /// <summary>Concurrent writes within one reconcile.</summary>
    public int ApplyParallelism { get; init; } = 16;

    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan MinRetry { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>host:port for /metrics and /healthz; null: no server.</summary>
    public string? MetricsBindAddress { get; init; } = "127.0.0.1:8081";

    /// <summary>Reconciles read live objects from the drift watcher's cache (false: one LIST per kind per reconcile, as before).</summary>
    public bool LiveObjectsFromCache { get; init; } = true;

    /// <summary>
    /// Liveness: how long the leader election may go without an attempt, the reconcile loop may take to start, and a
    /// watch may go without a step beyond the watch's own duration, before /healthz fails.
    /// </summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Liveness: how long one reconcile may run before /healthz fails (every request in it has a 30 s limit).</summary>
    public TimeSpan ReconcileStallAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Replaces API discovery (tests: a kind "missing" without touching the shared control plane's CRDs).</summary>
    public IDiscovery? Discovery { get; init; }
}
