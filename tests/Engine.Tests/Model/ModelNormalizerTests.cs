using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Model;

public sealed class ModelNormalizerTests
{
    private static ValidatedModel Normalize(string yaml, string ns = "team-a", string name = "team-a-models") =>
        ModelNormalizer.Normalize(Specs.Bind(yaml), Specs.Context(ns: ns, name: name));

    [Fact]
    public void Where_the_values_live_and_which_Gateway_they_attach_to_are_kept()
    {
        var model = Normalize(Specs.Valid.Edit("{name: ai-gateway}", "{name: ai-gateway, namespace: gateway-system, sectionName: https}"));
        Assert.Equal(("team-a", "team-a-models"), (model.Namespace, model.SourceName));
        Assert.Equal(new GatewayTarget("ai-gateway", "gateway-system", "https"), model.Gateway);
    }

    [Fact]
    public void The_model_id_defaults_to_the_model_key()
    {
        var model = Normalize(Specs.Valid + "  claude:\n    modelMatch: claude-sonnet-4-5\n    backends:\n      a: {ref: anthropic}\n      b: {ref: openai, priority: 1}\n");
        Assert.Equal(["claude", "gpt-4o"], model.Models.Select(m => m.Key));
        Assert.Equal("claude-sonnet-4-5", model.Models[0].ModelMatch);
        Assert.Equal("gpt-4o", model.Models[1].ModelMatch);
    }

    [Fact]
    public void Without_rate_limit_settings_the_chart_default_of_100_a_minute_applies()
    {
        var model = Normalize(Specs.Valid);
        Assert.True(model.RateLimit.Enabled);
        var limit = Assert.Single(model.RateLimit.DefaultLimits);
        Assert.Equal("default", limit.Name);
        Assert.Equal([new Rate(100, "1m")], limit.Rates);
        Assert.Same(ModelNormalizer.ChartDefaultLimits, model.Models[0].Limits);
    }

    [Fact]
    public void Own_defaults_replace_the_chart_default_and_a_model_limit_replaces_the_defaults()
    {
        var yaml = Specs.Gateway + "rateLimitPolicy:\n  defaults:\n    limits:\n      per-minute: {rates: [{limit: 600, window: 1m}]}\n      a-first: {rates: [{limit: 5, window: 1s}]}\n"
            + Specs.Backends + Specs.Models + "    rateLimit:\n      limits:\n        burst: {rates: [{limit: 20, window: 1s}, {limit: 300, window: 1m}]}\n"
            + "  claude:\n    backends:\n      a: {ref: anthropic}\n      b: {ref: openai, priority: 1}\n";
        var model = Normalize(yaml);
        Assert.Equal(["a-first", "per-minute"], model.RateLimit.DefaultLimits.Select(l => l.Name));
        Assert.Equal(model.RateLimit.DefaultLimits, model.Models.Single(m => m.Key == "claude").Limits);
        var own = Assert.Single(model.Models.Single(m => m.Key == "gpt-4o").Limits);
        Assert.Equal("burst", own.Name);
        Assert.Equal([new Rate(20, "1s"), new Rate(300, "1m")], own.Rates);
    }

    [Fact]
    public void Priorities_are_compacted_and_numRetries_defaults_to_levels_minus_one()
    {
        var yaml = Specs.Gateway + Specs.Backends + "models:\n  gpt-4o:\n    backends:\n      a: {ref: openai, priority: 0}\n      b: {ref: anthropic, priority: 5}\n      c: {ref: openai, modelNameOverride: gpt-4o-mini, priority: 9}\n";
        var model = Assert.Single(Normalize(yaml).Models);
        Assert.Equal([("a", 0), ("b", 1), ("c", 2)], model.Slots.Select(s => (s.Key, s.Priority)));
        var failover = Assert.IsType<Failover>(model.Failover);
        Assert.Equal(2, failover.NumRetries);
        Assert.Equal(FailoverDefaults.HttpStatusCodes, failover.HttpStatusCodes);
        Assert.Equal(FailoverDefaults.DefaultTriggers, failover.Triggers);
        Assert.Equal((FailoverDefaults.BackOffBaseInterval, FailoverDefaults.BackOffMaxInterval), (failover.BackOffBaseInterval, failover.BackOffMaxInterval));
        Assert.Null(failover.PerRetryTimeout);
    }

    [Fact]
    public void One_priority_level_means_no_failover_even_with_settings()
    {
        var yaml = Specs.Gateway + Specs.Backends + "models:\n  gpt-4o:\n    failover: {numRetries: 3}\n    backends:\n      a: {ref: openai}\n      b: {ref: anthropic}\n";
        Assert.Null(Assert.Single(Normalize(yaml).Models).Failover);
    }

    [Fact]
    public void Failover_settings_replace_the_defaults_one_by_one()
    {
        var yaml = Specs.Valid + "    failover:\n      numRetries: 0\n      perRetryTimeout: 30s\n      retryOn: {triggers: [reset]}\n      backOff: {maxInterval: 1m}\n";
        var failover = Assert.Single(Normalize(yaml).Models).Failover!;
        Assert.Equal(0, failover.NumRetries);
        Assert.Equal("30s", failover.PerRetryTimeout);
        Assert.Equal(["reset"], failover.Triggers);
        Assert.Equal(FailoverDefaults.HttpStatusCodes, failover.HttpStatusCodes);
        Assert.Equal(("100ms", "1m"), (failover.BackOffBaseInterval, failover.BackOffMaxInterval));
    }

    [Fact]
    public void Disabled_models_and_slots_are_left_out_and_everything_is_sorted_by_key()
    {
        var yaml = Specs.Gateway + Specs.Backends + """
            models:
              zeta:
                backends:
                  z: {ref: openai}
                  m: {ref: anthropic, enabled: false}
                  a: {ref: anthropic, priority: 1, weight: 3}
              alpha:
                enabled: false
                backends:
                  a: {ref: openai}

            """;
        var model = Normalize(yaml);
        var zeta = Assert.Single(model.Models);
        Assert.Equal("zeta", zeta.Key);
        Assert.Equal(["a", "z"], zeta.Slots.Select(s => s.Key));
        Assert.Equal(new ValidSlot("a", "anthropic", null, 1, 3), zeta.Slots[0]);
        Assert.Equal(["anthropic", "openai"], model.Backends.Select(b => b.Key));
    }

    [Fact]
    public void Backends_carry_their_TLS_name_and_the_Secret_their_policy_reads()
    {
        var yaml = Specs.Gateway + """
            backends:
              openai: {resourceName: openai-svc, schema: OpenAI, prefix: /v1, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: llm-keys, key: OPENAI_API_KEY}}
              gateway: {resourceName: gateway, schema: OpenAI, fqdn: {hostname: gw.example.com, port: 8443}, tlsHostname: llm.example.com, apiKeySecretRef: {name: gw, key: apiKey}}

            """ + Specs.Models.Edit("ref: anthropic", "ref: gateway");
        var model = Normalize(yaml);
        var gateway = model.Backends.Single(b => b.Key == "gateway");
        var openai = model.Backends.Single(b => b.Key == "openai");
        var gatewayKey = new SecretReference("gateway", "backends.gateway.apiKeySecretRef", SecretPurpose.ApiKey, "gw", "apiKey");
        var openaiKey = new SecretReference("openai", "backends.openai.apiKeySecretRef", SecretPurpose.ApiKey, "llm-keys", "OPENAI_API_KEY");
        Assert.Equal(new ValidBackend("gateway", "gateway", "OpenAI", null, null, "gw.example.com", 8443, new ApiKeyCredentials("APIKey", gatewayKey), "llm.example.com"), gateway);
        Assert.Equal(new ValidBackend("openai", "openai-svc", "OpenAI", null, "/v1", "api.openai.com", 443, new ApiKeyCredentials("APIKey", openaiKey), "api.openai.com"), openai);
        Assert.Equal([gatewayKey, openaiKey], model.Secrets);
        Assert.Equal(("gw", "openai-apikey"), (gatewayKey.PolicySecretName, openaiKey.PolicySecretName));
        Assert.Equal([openaiKey], model.Projections);
        Assert.Equal("openai-svc", model.Models[0].Slots.Single(s => s.Key == "primary").BackendResourceName);
    }

    [Fact]
    public void A_plaintext_backend_has_no_TLS_name()
    {
        var yaml = Specs.Valid.Edit("fqdn: {hostname: api.openai.com, port: 443}", "fqdn: {hostname: api.openai.com, port: 80}");
        Assert.Null(Normalize(yaml).Backends.Single(b => b.Key == "openai").TlsHostname);
    }

    [Fact]
    public void Timeouts_labels_and_annotations_pass_through()
    {
        var yaml = Specs.Gateway + "rateLimitPolicy: {enabled: false, labels: {team: a}, annotations: {example.com/owner: me}}\n" + Specs.Backends + Specs.Models + "    timeout: 300s\n";
        var model = Normalize(yaml);
        Assert.False(model.RateLimit.Enabled);
        Assert.Equal([new KeyValuePair<string, string>("team", "a")], model.RateLimit.Labels);
        Assert.Equal([new KeyValuePair<string, string>("example.com/owner", "me")], model.RateLimit.Annotations);
        Assert.Equal("300s", model.Models[0].Timeout);
    }

    [Fact]
    public void Limits_are_normalised_with_their_engine_names_and_client_headers()
    {
        var yaml = Specs.Gateway + "rateLimitPolicy: {enabled: false}\nrateLimiting: {engine: EnvoyGateway, clientHeader: x-team}\n"
            + "modelDefaults:\n  limits: [{tokens: 100, window: Day, per: client}, {name: burst, requests: 5, window: Second}]\n"
            + Specs.Backends + Specs.Models + "  claude:\n    limits: [{tokens: 7, tokenType: OutputToken, window: Month, clientHeader: x-user-id}]\n"
            + "    backends:\n      a: {ref: anthropic}\n      b: {ref: openai, priority: 1}\n";
        var model = Normalize(yaml);
        Assert.Equal(LimitEngine.EnvoyGateway, model.LimitEngine);
        var gpt = model.Models.Single(m => m.Key == "gpt-4o");
        Assert.Equal(
            [new TrafficLimit("burst", Counted.Requests, null, 5, "Second"), new TrafficLimit("total-tokens-per-x-team-day", Counted.TotalToken, "x-team", 100, "Day")],
            gpt.TrafficLimits);
        Assert.Empty(gpt.Limits);
        Assert.Equal([new TrafficLimit("output-tokens-per-x-user-id-month", Counted.OutputToken, "x-user-id", 7, "Month")], model.Models.Single(m => m.Key == "claude").TrafficLimits);
    }

    [Fact]
    public void Request_limits_of_a_model_replace_the_chart_s_built_in_default_but_not_written_defaults()
    {
        var requests = Specs.Valid + "    limits: [{requests: 10, window: 1m}]\n";
        Assert.Empty(Assert.Single(Normalize(requests).Models).Limits);
        var tokens = Specs.Valid + "    limits: [{tokens: 10, window: 1m}]\n";
        Assert.Same(ModelNormalizer.ChartDefaultLimits, Assert.Single(Normalize(tokens).Models).Limits);
        var written = Specs.Gateway + "rateLimitPolicy: {defaults: {limits: {own: {rates: [{limit: 7, window: 1s}]}}}}\n" + Specs.Backends + Specs.Models + "    limits: [{requests: 10, window: 1m}]\n";
        Assert.Equal("own", Assert.Single(Assert.Single(Normalize(written).Models).Limits).Name);
    }

    [Fact]
    public void Model_defaults_give_failover_and_health_checks_that_a_model_s_own_replace_whole()
    {
        var yaml = Specs.Gateway + "modelDefaults:\n  failover: {numRetries: 0, perRetryTimeout: 20s}\n  healthCheck: {passive: {consecutive5XxErrors: 3}}\n"
            + Specs.Backends + Specs.Models + "  claude:\n    failover: {backOff: {maxInterval: 1s}}\n    healthCheck: {}\n    streamIdleTimeout: 15s\n"
            + "    backends:\n      a: {ref: anthropic}\n      b: {ref: openai, priority: 1}\n";
        var model = Normalize(yaml);
        var gpt = model.Models.Single(m => m.Key == "gpt-4o");
        Assert.Equal((0, "20s"), (gpt.Failover!.NumRetries, gpt.Failover.PerRetryTimeout));
        Assert.Equal(new PassiveHealthCheck(3, null, null, null, null), gpt.PassiveHealthCheck);
        var claude = model.Models.Single(m => m.Key == "claude");
        Assert.Equal((1, null, "1s"), (claude.Failover!.NumRetries, claude.Failover.PerRetryTimeout, claude.Failover.BackOffMaxInterval));
        Assert.Null(claude.PassiveHealthCheck);
        Assert.Equal("15s", claude.StreamIdleTimeout);
    }
}
