using AiGatewayModels.Engine.Rules;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Every mapping of the values format: its keys, their types, which are required and what they mean. The one place
/// these facts live: the binder reads through these tables, and the descriptions are there for a JSON Schema writer.
/// Leaves first, so that each table can name the ones it holds.
/// </summary>
public static class ValuesKeys
{
    private static ScalarType Str => new(ScalarKind.Text);

    private static ScalarType Duration => new(ScalarKind.Duration);

    private static ScalarType Int => new(ScalarKind.Number);

    private static ScalarType Bool => new(ScalarKind.Boolean);

    private static ScalarType Amount => new(ScalarKind.Amount);

    private static KeyField F(string name, KeyType type, string description, bool required = false) => new(name, type, description, required);

    public static readonly KeyTable SecretRef = new("secretRef", "a Secret in the ConfigMap's namespace and its data key",
        F("name", Str, "the Secret's name", required: true),
        F("key", Str, "the data key; default: the one AI Gateway reads for this credential"));

    public static readonly KeyTable ApiKeySecretRef = new("apiKeySecretRef", "the Secret (same namespace) and data key holding the API key",
        F("name", Str, "the Secret's name", required: true),
        F("key", Str, "the data key holding the API key (projected into apiKey when it is another)", required: true));

    public static readonly KeyTable OidcProvider = new("oidcProvider", "the OIDC provider",
        F("issuer", Str, "the issuer URL (https)", required: true),
        F("tokenEndpoint", Str, "the token endpoint, when discovery is not used"));

    public static readonly KeyTable Oidc = new("oidc", "OIDC client credentials AI Gateway obtains a token with",
        F("provider", new ObjectType(OidcProvider), "the OIDC provider", required: true),
        F("clientID", Str, "the OIDC client id", required: true),
        F("clientSecret", new ObjectType(SecretRef), "the Secret holding the client secret", required: true),
        F("scopes", new ListType(Str, ValuesBounds.OidcScopes), "scopes to request"));

    public static readonly KeyTable OidcExchange = new("oidcExchangeToken", "a token exchange with OIDC client credentials",
        F("oidc", new ObjectType(Oidc), "the OIDC client", required: true),
        F("aud", Str, "the audience"));

    public static readonly KeyTable AwsOidcExchange = new("awsOidcExchangeToken", "an OIDC token exchanged for an AWS role",
        F("oidc", new ObjectType(Oidc), "the OIDC client", required: true),
        F("aud", Str, "the audience"),
        F("awsRoleArn", Str, "the role to assume", required: true));

    public static readonly KeyTable AwsCredentialsFile = new("awsCredentialsFile", "an AWS credentials file in a Secret",
        F("secretRef", new ObjectType(SecretRef), "the Secret holding the credentials file", required: true),
        F("profile", Str, "the profile to use"));

    public static readonly KeyTable Aws = new("awsCredentials", "AWS credentials; neither a file nor an exchange means the default chain (IRSA, EKS Pod Identity)",
        F("region", Str, "the AWS region", required: true),
        F("credentialsFile", new ObjectType(AwsCredentialsFile), "a credentials file in a Secret"),
        F("oidcExchangeToken", new ObjectType(AwsOidcExchange), "an OIDC token exchanged for a role"));

    public static readonly KeyTable Azure = new("azureCredentials", "Azure credentials: exactly one of clientSecretRef and oidcExchangeToken",
        F("clientID", Str, "the application (client) id", required: true),
        F("tenantID", Str, "the directory (tenant) id", required: true),
        F("clientSecretRef", new ObjectType(SecretRef), "the Secret holding the client secret"),
        F("oidcExchangeToken", new ObjectType(OidcExchange), "an OIDC token exchange"));

    public static readonly KeyTable GcpCredentialsFile = new("gcpCredentialsFile", "a service account key in a Secret",
        F("secretRef", new ObjectType(SecretRef), "the Secret holding the service account key", required: true));

    public static readonly KeyTable Impersonation = new("serviceAccountImpersonation", "a service account to impersonate",
        F("serviceAccountName", Str, "the service account", required: true));

    public static readonly KeyTable WorkloadIdentity = new("workloadIdentityFederationConfig", "GCP workload identity federation",
        F("projectID", Str, "the project id", required: true),
        F("workloadIdentityPoolName", Str, "the pool", required: true),
        F("workloadIdentityProviderName", Str, "the provider", required: true),
        F("serviceAccountImpersonation", new ObjectType(Impersonation), "a service account to impersonate"),
        F("oidcExchangeToken", new ObjectType(OidcExchange), "the OIDC token exchange", required: true));

    public static readonly KeyTable Gcp = new("gcpCredentials", "GCP credentials; neither a key file nor workload identity federation means application default credentials",
        F("projectName", Str, "the GCP project", required: true),
        F("region", Str, "the GCP region", required: true),
        F("credentialsFile", new ObjectType(GcpCredentialsFile), "a service account key in a Secret"),
        F("workloadIdentityFederationConfig", new ObjectType(WorkloadIdentity), "workload identity federation"));

    public static readonly KeyTable Fqdn = new("fqdn", "the provider's address",
        F("hostname", Str, "the provider's host name", required: true),
        F("port", new ScalarType(ScalarKind.Number, Minimum: 1, Maximum: 65535), "the port; 443 means TLS", required: true));

    public static readonly KeyTable Backend = new("backend", "one provider endpoint: a Backend and an AIServiceBackend",
        F("resourceName", Str, "name of the Backend and AIServiceBackend (a DNS label)", required: true),
        F("schema", new ScalarType(ScalarKind.Text, BackendRules.Schemas), "the API schema the provider speaks", required: true),
        F("schemaVersion", Str, "AIServiceBackend.spec.schema.version: Azure's api-version, the anthropic_version of GCPAnthropic and AWSAnthropic"),
        F("prefix", Str, "API path prefix, e.g. /v1"),
        F("fqdn", new ObjectType(Fqdn), "the provider's host and port", required: true),
        F("apiKeySecretRef", new ObjectType(ApiKeySecretRef), "the Secret holding the API key (OpenAI, Cohere, Anthropic, AzureOpenAI)"),
        F("awsCredentials", new ObjectType(Aws), "AWS credentials (AWSBedrock, AWSAnthropic)"),
        F("azureCredentials", new ObjectType(Azure), "Azure credentials (AzureOpenAI)"),
        F("gcpCredentials", new ObjectType(Gcp), "GCP credentials (GCPVertexAI, GCPAnthropic)"),
        F("tlsHostname", Str, "the name the server certificate is checked against; setting it turns TLS on for other ports"));

    public static readonly KeyTable Rate = new("rate", "a number of requests per window",
        F("limit", new ScalarType(ScalarKind.Number, Minimum: 1), "requests per window", required: true),
        F("window", Duration, "a Kuadrant duration: 30s, 1m, 1h30m", required: true));

    public static readonly KeyTable Limit = new("rateLimit", "one named request limit of the chart's RateLimitPolicy",
        F("rates", new ListType(new ObjectType(Rate), ValuesBounds.RatesPerLimit), "the rates, e.g. [{limit: 100, window: 1m}]", required: true));

    public static readonly KeyTable LimitsHolder = new("limitsHolder", "the chart's request limits",
        F("limits", new MapType(new ObjectType(Limit), "limit names", ValuesBounds.LimitsPerHolder), "named limits", required: true));

    public static readonly KeyTable RateLimitPolicy = new("rateLimitPolicy", "the chart's Kuadrant RateLimitPolicy per model",
        F("enabled", Bool, "create a RateLimitPolicy per model; default true"),
        F("labels", new MapType(new ScalarType(ScalarKind.AnyScalar), "label keys", ValuesBounds.Labels), "labels of each RateLimitPolicy"),
        F("annotations", new MapType(new ScalarType(ScalarKind.AnyScalar), "annotation keys", ValuesBounds.Annotations), "annotations of each RateLimitPolicy"),
        F("defaults", new ObjectType(LimitsHolder), "limits for models without their own"));

    public static readonly KeyTable TrafficLimit = new("limit", "a request or token limit, per model or per client",
        F("name", Str, "the limit's name; default: made of what, who and window"),
        F("requests", new ScalarType(ScalarKind.Number, Minimum: 1), "requests per window (or tokens, or budget)"),
        F("tokens", new ScalarType(ScalarKind.Number, Minimum: 1), "tokens per window (or requests, or budget)"),
        F("tokenType", new ScalarType(ScalarKind.Text, TrafficLimits.TokenTypes), "which tokens count; default TotalToken"),
        F("window", Duration, "Kuadrant: a duration (1m, 24h); EnvoyGateway: Second, Minute, Hour, Day, Week, Month, Year", required: true),
        F("per", new ScalarType(ScalarKind.Text, TrafficLimits.PerValues), "model (default) or client"),
        F("clientHeader", Str, "this limit's client header; implies per: client"),
        F("budget", Amount, "an amount of money per window in the prices' currency (or requests, or tokens); EnvoyGateway only"));

    public static readonly KeyTable RateLimiting = new("rateLimiting", "who counts the limits lists",
        F("engine", new ScalarType(ScalarKind.Text, ["Kuadrant", "EnvoyGateway"]), "Kuadrant (default) or EnvoyGateway"),
        F("clientHeader", Str, "the header that names a client for per: client limits; default x-user-id; set it only behind authentication"),
        F("acrossModels", new ListType(new ObjectType(TrafficLimit), ValuesBounds.TrafficLimitsPerHolder), "limits counted across all models of the Gateway (EnvoyGateway only), e.g. one budget per client"));

    public static readonly KeyTable RetryOn = new("retryOn", "what a retry is made on",
        F("httpStatusCodes", new ListType(Int, ValuesBounds.HttpStatusCodes), "status codes; default [500, 502, 503, 504]"),
        F("triggers", new ListType(Str, ValuesBounds.Triggers), "Envoy Gateway retry triggers; default [connect-failure, retriable-status-codes, reset]"));

    public static readonly KeyTable BackOff = new("backOff", "the wait between tries",
        F("baseInterval", Duration, "default 100ms"),
        F("maxInterval", Duration, "default 10s"));

    public static readonly KeyTable Failover = new("failover", "retry settings of the model's BackendTrafficPolicy",
        F("numRetries", new ScalarType(ScalarKind.Number, Minimum: 0, Maximum: 15), "default: the number of fallback levels"),
        F("retryOn", new ObjectType(RetryOn), "what a retry is made on"),
        F("perRetryTimeout", Duration, "timeout of each try; default none"),
        F("backOff", new ObjectType(BackOff), "the wait between tries"));

    public static readonly KeyTable PassiveHealthCheck = new("passive", "passive health checks (outlier detection)",
        F("consecutive5XxErrors", Int, "5xx answers in a row before ejection"),
        F("consecutiveGatewayErrors", Int, "502, 503, 504 and timeouts in a row before ejection"),
        F("interval", Duration, "how often ejection is decided"),
        F("baseEjectionTime", Duration, "how long an ejection lasts at first"),
        F("maxEjectionPercent", new ScalarType(ScalarKind.Number, Minimum: 0, Maximum: 100), "the most of a model's backends ejected at once"));

    public static readonly KeyTable HealthCheck = new("healthCheck", "health checks",
        F("passive", new ObjectType(PassiveHealthCheck), "passive health checks"));

    public static readonly KeyTable Price = new("price", "a price per million tokens of each kind, exact decimals in one currency",
        F("currency", Str, "an ISO 4217 code, e.g. USD; the same in every price", required: true),
        F("input", Amount, "per million input tokens"),
        F("cachedInput", Amount, "per million cached input tokens; default the input price"),
        F("cacheCreationInput", Amount, "per million tokens written to the provider's cache; default the input price"),
        F("output", Amount, "per million output tokens"),
        F("reasoning", Amount, "per million reasoning tokens, where the provider bills them apart; default the output price"));

    public static readonly KeyTable ModelDefaults = new("modelDefaults", "what every model gets unless it sets the same key",
        F("limits", new ListType(new ObjectType(TrafficLimit), ValuesBounds.TrafficLimitsPerHolder), "limits of every model without its own"),
        F("failover", new ObjectType(Failover), "retry settings of every model without its own"),
        F("healthCheck", new ObjectType(HealthCheck), "health checks of every model without its own"),
        F("price", new ObjectType(Price), "the price of every model without its own"));

    public static readonly KeyTable Slot = new("slot", "one backend serving a model",
        F("enabled", Bool, "use this slot; default true"),
        F("ref", Str, "the backend's key under backends", required: true),
        F("modelNameOverride", Str, "the model id sent to this backend"),
        F("priority", new ScalarType(ScalarKind.Number, Minimum: 0), "0 = primary, 1 = first fallback, …"),
        F("weight", new ScalarType(ScalarKind.Number, Minimum: 0, Maximum: ModelRules.MaxWeight), "share within one priority"),
        F("price", new ObjectType(Price), "this provider's price, when it differs from the model's"));

    public static readonly KeyTable Model = new("model", "one model id and the backends that serve it",
        F("enabled", Bool, "route this model; default true"),
        F("modelMatch", Str, "the exact model id clients send; default the key"),
        F("rateLimit", new ObjectType(LimitsHolder), "the chart's request limits, replacing the defaults"),
        F("limits", new ListType(new ObjectType(TrafficLimit), ValuesBounds.TrafficLimitsPerHolder), "request and token limits; [] for none"),
        F("backends", new MapType(new ObjectType(Slot), "slot names", ValuesBounds.SlotsPerModel), "the backends that serve this model", required: true),
        F("timeout", Duration, "request timeout; default 60s"),
        F("streamIdleTimeout", Duration, "longest silence from a provider"),
        F("failover", new ObjectType(Failover), "retry settings"),
        F("healthCheck", new ObjectType(HealthCheck), "health checks"),
        F("price", new ObjectType(Price), "the model's price; default modelDefaults.price"));

    public static readonly KeyTable GatewayRef = new("gatewayRef", "the Gateway the routes attach to",
        F("name", Str, "the Gateway's name", required: true),
        F("namespace", Str, "the Gateway's namespace; default the ConfigMap's"),
        F("sectionName", Str, "a listener of that Gateway"));

    public static readonly KeyTable Root = new KeyTable("values", "AI Gateway models values",
        F("gatewayRef", new ObjectType(GatewayRef), "the Gateway the routes attach to", required: true),
        F("rateLimitPolicy", new ObjectType(RateLimitPolicy), "the chart's Kuadrant RateLimitPolicy per model"),
        F("rateLimiting", new ObjectType(RateLimiting), "who counts the limits lists"),
        F("modelDefaults", new ObjectType(ModelDefaults), "what every model gets unless it sets the same key"),
        F("backends", new MapType(new ObjectType(Backend), "backend names", ValuesBounds.Backends), "provider endpoints"),
        F("models", new MapType(new ObjectType(Model), "model names", ValuesBounds.Models), "models and the backends that serve them")).WithExtensionKeys();
}
