using System.Globalization;
using System.Text;

namespace AiGatewayModels.Benchmarks;

/// <summary>Which <c>limits</c> the generated values carry, and which engine counts them.</summary>
public enum GeneratedLimits
{
    /// <summary>Only the chart's keys (rateLimitPolicy, models.*.rateLimit).</summary>
    None,

    /// <summary>Per-client and per-model token and request limits counted by Kuadrant, next to the chart's keys.</summary>
    Kuadrant,

    /// <summary>The same limits counted by Envoy Gateway (windows in its units, output tokens too); the chart's keys off.</summary>
    EnvoyGateway,
}

/// <summary>
/// Realistic values for N models, deterministic for a given N: a shared pool of TLS backends across four
/// API-key providers, every model served by 2 or 3 slots (weighted primaries, some priority-1 fallbacks),
/// per-model rate limits on every third model, failover settings and request timeouts on some; with
/// <see cref="GeneratedLimits"/>, default limits for every model (per client and per model, tokens and requests) and
/// limits of its own on every fifth.
/// The output is valid under the default policy and draws no warnings: every backend is used, slot refs are
/// distinct within a model, priorities are contiguous and failover is only set where there is a fallback level.
/// </summary>
public static class ValuesGenerator
{
    private static readonly string[] Families =
    [
        "gpt-4o", "gpt-4o-mini", "o3-mini", "claude-sonnet", "claude-haiku", "command-r", "llama-3-70b", "mistral-large",
    ];

    private sealed record Provider(string Name, string Schema, string Prefix);

    private static readonly Provider[] Providers =
    [
        new("openai", "OpenAI", "/v1"),
        new("anthropic", "Anthropic", "/v1"),
        new("azure", "AzureOpenAI", "/openai"),
        new("cohere", "Cohere", "/v2"),
    ];

    /// <summary>A pool that grows with the number of models, as a platform team's provider accounts do.</summary>
    public static int BackendCount(int models) => Math.Clamp(models / 10, 3, 40);

    public static string Generate(int models, GeneratedLimits limits = GeneratedLimits.None)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        var sb = new StringBuilder(models * 420);
        var inv = CultureInfo.InvariantCulture;
        var envoy = limits == GeneratedLimits.EnvoyGateway;
        sb.Append(inv, $"""
            gatewayRef:
              name: ai-gateway
              namespace: gateway-system
              sectionName: https
            rateLimitPolicy:
              enabled: {(envoy ? "false" : "true")}
              labels:
                team: platform
              annotations:
                example.com/owner: platform-team
              defaults:
                limits:
                  per-minute:
                    rates:
                      - limit: 600
                        window: 1m

            """);
        if (limits != GeneratedLimits.None)
        {
            // block style, as the rest: a flow mapping anywhere sends the whole document to the full YAML reader
            var day = envoy ? "Day" : "24h";
            sb.Append(inv, $$"""
                rateLimiting:
                  engine: {{limits}}
                  clientHeader: x-user-id
                modelDefaults:
                  limits:
                    - tokens: 200000
                      window: {{day}}
                      per: client
                    - requests: 60
                      window: {{(envoy ? "Minute" : "1m")}}
                      per: client
                    - tokens: 20000000
                      window: {{day}}

                """);
            if (envoy)
            {
                sb.Append("    - tokens: 2000000\n      tokenType: OutputToken\n      window: Month\n      per: client\n");
            }
        }

        sb.Append("backends:\n");

        var pool = BackendCount(models);
        for (var b = 0; b < pool; b++)
        {
            var p = Providers[b % Providers.Length];
            var name = BackendName(b);
            var host = p.Name switch
            {
                "azure" => string.Create(inv, $"team-{b:D2}.openai.azure.com"),
                "openai" => "api.openai.com",
                "anthropic" => "api.anthropic.com",
                _ => "api.cohere.com",
            };

            // Azure keys often sit under another data key; the expander projects those into <backend>-apikey/apiKey.
            // Azure also needs its api-version (a warning without one).
            var secretKey = p.Name == "azure" ? "AZURE_OPENAI_API_KEY" : "apiKey";
            var version = p.Name == "azure" ? "    schemaVersion: 2024-10-21\n" : string.Empty;
            sb.Append(inv, $"""
                  {name}:
                    resourceName: {name}
                    schema: {p.Schema}
                {version}    prefix: {p.Prefix}
                    fqdn:
                      hostname: {host}
                      port: 443
                    apiKeySecretRef:
                      name: {name}-credentials
                      key: {secretKey}
                    tlsHostname: {host}

                """);
        }

        sb.Append("models:\n");
        for (var m = 0; m < models; m++)
        {
            var family = Families[m % Families.Length];
            var key = string.Create(inv, $"{family}-{m:D4}");
            sb.Append(inv, $"  {key}:\n");
            if (m % 4 == 1)
            {
                sb.Append(inv, $"    modelMatch: team-{m % 7}/{family}-{m:D4}\n");
            }

            if (m % 5 == 2)
            {
                sb.Append("    timeout: 300s\n");
            }

            if (limits != GeneratedLimits.None && m % 5 == 4)
            {
                sb.Append(inv, $$"""
                        limits:
                          - name: {{family}}-user-tokens
                            tokens: {{50000 + (1000 * (m % 50))}}
                            window: {{(envoy ? "Day" : "24h")}}
                            per: client
                          - name: {{family}}-tenant-tokens
                            tokens: 5000000
                            window: {{(envoy ? "Week" : "168h")}}
                            clientHeader: x-tenant-id
                          - name: {{family}}-model-tokens
                            tokens: 2000000
                            window: {{(envoy ? "Hour" : "1h")}}

                    """);
            }

            if (m % 3 == 0 && !envoy)
            {
                sb.Append(inv, $"""
                        rateLimit:
                          limits:
                            {family}-burst:
                              rates:
                                - limit: {20 + (m % 50)}
                                  window: 1s
                                - limit: {300 + (10 * (m % 30))}
                                  window: 1m

                    """);
            }

            // Slot refs: three distinct backends, spread so that every backend in the pool is used.
            var first = m % pool;
            var second = (m + 1) % pool;
            var third = (m + 2) % pool;
            var shape = m % 3;
            var hasFallback = shape != 0;
            if (hasFallback && m % 2 == 0)
            {
                sb.Append("""
                        failover:
                          numRetries: 2
                          retryOn:
                            httpStatusCodes: [500, 503]
                            triggers: [connect-failure, retriable-status-codes]

                    """);
            }

            sb.Append("    backends:\n");
            switch (shape)
            {
                case 0: // two weighted primaries
                    Slot(sb, "primary", first, null, 0, 70);
                    Slot(sb, "secondary", second, null, 0, 30);
                    break;
                case 1: // one primary, one fallback on another provider
                    Slot(sb, "primary", first, null, null, null);
                    Slot(sb, "fallback", second, Families[(m + 3) % Families.Length], 1, null);
                    break;
                default: // two weighted primaries and a fallback
                    Slot(sb, "primary", first, null, 0, 80);
                    Slot(sb, "secondary", second, $"{family}-deployment", 0, 20);
                    Slot(sb, "fallback", third, Families[(m + 5) % Families.Length], 1, null);
                    break;
            }
        }

        return sb.ToString();
    }

    private static string BackendName(int index) => string.Create(CultureInfo.InvariantCulture, $"{Providers[index % Providers.Length].Name}-{index:D2}");

    private static void Slot(StringBuilder sb, string slot, int backend, string? modelNameOverride, int? priority, int? weight)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"      {slot}:\n        ref: {BackendName(backend)}\n");
        if (modelNameOverride is not null)
        {
            sb.Append(inv, $"        modelNameOverride: {modelNameOverride}\n");
        }

        if (priority is { } p)
        {
            sb.Append(inv, $"        priority: {p}\n");
        }

        if (weight is { } w)
        {
            sb.Append(inv, $"        weight: {w}\n");
        }
    }
}
