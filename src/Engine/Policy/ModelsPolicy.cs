namespace AiGatewayModels.Engine.Policy;

/// <summary>
/// Cluster-wide guardrails that platform teams may tune. The defaults are the safe choice: a policy file only
/// needs the settings it changes.
/// </summary>
public sealed record ModelsPolicy
{
    /// <summary>Hosts that must never be reachable through the gateway: the cluster itself and cloud metadata services.</summary>
    public static readonly IReadOnlyList<string> DefaultDeniedHostnames =
        ["localhost", "*.localhost", "*.svc", "*.cluster.local", "*.internal", "169.254.169.254", "metadata"];

    public static ModelsPolicy Default { get; } = new();

    /// <summary>The chart's one explicit rule: a model needs at least this many enabled backends, for availability.</summary>
    public int MinBackendsPerModel { get; init; } = 2;

    /// <summary>Patterns (<c>api.openai.com</c>, <c>*.openai.azure.com</c>); empty allows every host not denied.</summary>
    public IReadOnlyList<string> AllowedHostnames { get; init; } = [];

    public IReadOnlyList<string> DeniedHostnames { get; init; } = DefaultDeniedHostnames;

    public bool AllowIPLiterals { get; init; }

    public bool AllowPlaintext { get; init; }

    /// <summary>Empty allows every schema that API-key auth can serve.</summary>
    public IReadOnlyList<string> AllowedSchemas { get; init; } = [];

    /// <summary>Empty allows any Gateway; otherwise a values ConfigMap may only attach to the Gateways its namespace is granted.</summary>
    public IReadOnlyList<GatewayGrant> AllowedGateways { get; init; } = [];

    /// <summary>The largest <c>limit</c> one rate may allow per window; null for no ceiling.</summary>
    public long? MaxRequestsPerWindow { get; init; }
}

/// <summary>Values ConfigMaps in namespaces matching <see cref="Namespaces"/> may use the Gateways matching <see cref="Gateways"/> (<c>namespace/name</c> patterns).</summary>
public sealed record GatewayGrant(string Namespaces, IReadOnlyList<string> Gateways);
