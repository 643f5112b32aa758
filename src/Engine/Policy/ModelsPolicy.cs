using AiGatewayModels.Engine.Model;

namespace AiGatewayModels.Engine.Policy;

/// <summary>
/// Cluster-wide guardrails that platform teams may tune. The defaults are the safe choice: a policy file only
/// needs the settings it changes.
/// </summary>
public sealed record ModelsPolicy
{
    /// <summary>
    /// Hosts that must never be reachable through the gateway: the cluster itself, cloud metadata services, and public
    /// wildcard-DNS services whose names resolve to the address written into them (<c>127.0.0.1.nip.io</c>). Cluster-internal
    /// and special-use names are refused besides this list (<see cref="Rules.InternalNames"/>) unless a host is allowed
    /// by name in <see cref="AllowedHostnames"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultDeniedHostnames =
        ["localhost", "*.localhost", "*.svc", "*.cluster.local", "*.internal", "169.254.169.254", "metadata",
         "*.nip.io", "*.sslip.io", "*.xip.io", "localtest.me", "*.localtest.me", "lvh.me", "*.lvh.me"];

    public static ModelsPolicy Default { get; } = new();

    /// <summary>The chart's one explicit rule: a model needs at least this many enabled backends, for availability.</summary>
    public int MinBackendsPerModel { get; init; } = 2;

    /// <summary>Patterns (<c>api.openai.com</c>, <c>*.openai.azure.com</c>); empty allows every host not denied.</summary>
    public IReadOnlyList<string> AllowedHostnames { get; init; } = [];

    public IReadOnlyList<string> DeniedHostnames { get; init; } = DefaultDeniedHostnames;

    public bool AllowIPLiterals { get; init; }

    /// <summary>
    /// With <see cref="AllowIPLiterals"/>: also private ranges (RFC 1918, shared address space, unique local), where the
    /// cluster's own Pods and Services live. Loopback, link-local and metadata addresses stay denied whatever this says.
    /// </summary>
    public bool AllowPrivateIPs { get; init; }

    public bool AllowPlaintext { get; init; }

    /// <summary>Empty allows every schema.</summary>
    public IReadOnlyList<string> AllowedSchemas { get; init; } = [];

    /// <summary>BackendSecurityPolicy types (<c>APIKey</c>, <c>AWSCredentials</c>, …) a backend may use; empty allows every type.</summary>
    public IReadOnlyList<string> AllowedCredentialTypes { get; init; } = [];

    /// <summary>BackendSecurityPolicy types no backend may use, whatever <see cref="AllowedCredentialTypes"/> says.</summary>
    public IReadOnlyList<string> DeniedCredentialTypes { get; init; } = [];

    /// <summary>Only credentials that name no Secret: no API keys, credential files or client secrets, only a cloud identity.</summary>
    public bool RequireKeylessCredentials { get; init; }

    /// <summary>
    /// Only Secrets labelled <see cref="WellKnown.CredentialLabel"/><c>: "true"</c> may be used (read, copied, named by a
    /// BackendSecurityPolicy); on by default, so that values cannot turn an unrelated Secret of the namespace into an API key.
    /// Service-account token Secrets are never usable, whatever this says.
    /// </summary>
    public bool RequireSecretLabel { get; init; } = true;

    /// <summary>
    /// Namespaces (patterns) whose values may use the gateway's own cloud identity: AWS's default chain and GCP's application
    /// default credentials resolve to the identity of the Envoy pods (IRSA, EKS Pod Identity, GKE workload identity), which
    /// serves every tenant of the gateway. Empty: no namespace, since a tenant must not spend an identity it was not given.
    /// </summary>
    public IReadOnlyList<string> GatewayIdentityNamespaces { get; init; } = [];

    /// <summary>Empty allows any Gateway; otherwise a values ConfigMap may only attach to the Gateways its namespace is granted.</summary>
    public IReadOnlyList<GatewayGrant> AllowedGateways { get; init; } = [];

    /// <summary>The largest <c>limit</c> one rate may allow per window; null for no ceiling.</summary>
    public long? MaxRequestsPerWindow { get; init; }

    /// <summary>The largest number of tokens one limit may allow per window; null for no ceiling.</summary>
    public long? MaxTokensPerWindow { get; init; }

    /// <summary>The engines values may choose with <c>rateLimiting.engine</c>; empty allows both.</summary>
    public IReadOnlyList<LimitEngine> AllowedLimitEngines { get; init; } = [];

    /// <summary>Whether limits may, must or must not count per client (by a request header).</summary>
    public PerClientLimits PerClientLimits { get; init; } = PerClientLimits.Allowed;

    /// <summary>
    /// The headers that may tell clients apart (the ones the authentication in front of the gateway sets and overwrites);
    /// empty allows any valid header name.
    /// </summary>
    public IReadOnlyList<string> AllowedClientHeaders { get; init; } = [];

    /// <summary>
    /// The oldest Envoy Gateway release the cluster may run: it decides how many global rate-limit rules one
    /// BackendTrafficPolicy may hold. v1.8 is the oldest release AI Gateway v1.1 supports.
    /// </summary>
    public Version EnvoyGatewayVersion { get; init; } = new(1, 8);

    /// <summary>What happens to retry settings that match a known crash pattern (<c>Rules.KnownCrashPatterns</c>).</summary>
    public CrashPatternAction KnownCrashPatterns { get; init; } = CrashPatternAction.Deny;

    /// <summary>
    /// Whether values may count limits across their models (<c>rateLimiting.acrossModels</c>): that attaches a
    /// BackendTrafficPolicy to their Gateway, which must be in their own namespace.
    /// </summary>
    public bool AllowAcrossModels { get; init; } = true;

    /// <summary>The policy's say on prices and budgets.</summary>
    public BudgetPolicy Budgets { get; init; } = BudgetPolicy.Default;

    /// <summary>How much one values ConfigMap, and one namespace's values ConfigMaps together, may declare and generate.</summary>
    public SizeCeilings Ceilings { get; init; } = SizeCeilings.Default;
}

/// <summary>
/// <c>ceilings</c> of the policy: the most models and generated objects per values ConfigMap and per namespace. They bound
/// what one tenant can make the expander hold and write (each object is rendered, applied, watched and cached); the
/// defaults are sized so that the expander stays under its 512 MiB memory limit with one ConfigMap at the largest
/// allowed size (docs/benchmarks.md, "Expander memory at the ceilings").
/// </summary>
public sealed record SizeCeilings
{
    public static SizeCeilings Default { get; } = new();

    /// <summary>Entries under <c>models</c>, enabled or not (each is read and checked on every review and reconcile).</summary>
    public int ModelsPerConfigMap { get; init; } = 1_000;

    /// <summary>Objects one values ConfigMap generates: every rendered object and every projected Secret.</summary>
    public int ObjectsPerConfigMap { get; init; } = 5_000;

    /// <summary>Models of every values ConfigMap in one namespace together.</summary>
    public int ModelsPerNamespace { get; init; } = 2_000;

    /// <summary>Objects of every values ConfigMap in one namespace together.</summary>
    public int ObjectsPerNamespace { get; init; } = 10_000;
}

/// <summary><c>rateLimiting.budgets</c> of the policy: the currency, ceilings for budgets and prices, and whether every model needs a per-client budget.</summary>
public sealed record BudgetPolicy
{
    public static BudgetPolicy Default { get; } = new();

    /// <summary>The one currency values may price in (ISO 4217, e.g. USD); null allows any.</summary>
    public string? Currency { get; init; }

    /// <summary>The largest budget one limit may allow per window, in <see cref="Currency"/>; null for no ceiling.</summary>
    public decimal? MaxPerWindow { get; init; }

    /// <summary>The highest price per million tokens of any kind, in <see cref="Currency"/>; null for the engine's own ceiling only.</summary>
    public decimal? MaxPricePerMillionTokens { get; init; }

    /// <summary>Required: every enabled model needs a budget that counts per client (its own, the defaults' or one across models).</summary>
    public PerClientLimits PerClient { get; init; } = PerClientLimits.Allowed;
}

public enum PerClientLimits
{
    /// <summary>Values choose.</summary>
    Allowed,

    /// <summary>Every enabled model needs at least one limit that counts per client.</summary>
    Required,

    /// <summary>No limit may count per client: nothing in front of the gateway authenticates the client header.</summary>
    Forbidden,
}

public enum CrashPatternAction
{
    /// <summary>Refuse the values (the default: a crash takes the shared gateway down for every tenant).</summary>
    Deny,

    /// <summary>Accept them with a warning: for a data plane that carries the upstream fix.</summary>
    Warn,
}

/// <summary>Values ConfigMaps in namespaces matching <see cref="Namespaces"/> may use the Gateways matching <see cref="Gateways"/> (<c>namespace/name</c> patterns).</summary>
public sealed record GatewayGrant(string Namespaces, IReadOnlyList<string> Gateways);
