namespace AiGatewayModels.Engine.Values;

/// <summary>
/// How many entries each mapping and list of the values may hold. The YAML reader bounds the document (1 MiB, 250,000
/// nodes); these bound what one values ConfigMap may ask of the cluster and of Envoy, and keep a list of 240,000 status
/// codes from being read, judged and rendered. Each is far above what the chart's users write.
/// </summary>
public static class ValuesBounds
{
    /// <summary>The benchmarks render 1,000 models per ConfigMap; twice that is still one team's catalogue.</summary>
    public const int Models = 2_000;

    public const int Backends = 500;

    /// <summary>Enabled slots are limited to 16 (an HTTPRoute rule's backendRefs); disabled ones may be kept, up to twice that.</summary>
    public const int SlotsPerModel = 32;

    public const int LimitsPerHolder = 16;

    public const int RatesPerLimit = 8;

    /// <summary>
    /// The <c>limits</c> lists of <c>modelDefaults</c> and each model: the most rules one BackendTrafficPolicy of any
    /// Envoy Gateway release takes (256 from v1.8), so that the rules' own, version-aware cap reports anything less.
    /// </summary>
    public const int TrafficLimitsPerHolder = 256;

    /// <summary>An OIDC client's scopes.</summary>
    public const int OidcScopes = 32;

    public const int Labels = 64;

    public const int Annotations = 64;

    public const int HttpStatusCodes = Rules.ModelRules.MaxStatusCodes;

    /// <summary>Every retry trigger once.</summary>
    public static int Triggers => Rules.FailoverDefaults.Triggers.Count;
}
