using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class LimitRulesTests
{
    private const string TwoLevels = Specs.TwoLevels;

    private static string Values(string top, params string[] modelBodies) =>
        Specs.Gateway + top + Specs.Backends + "models:\n" + string.Concat(modelBodies.Select((b, i) => $"  m{i}:\n{b}{TwoLevels}"));

    private static List<Diagnostic> Check(string yaml, ModelsPolicy? policy = null) => Specs.Run(LimitRules.Check, yaml, policy);

    [Fact]
    public void Values_without_limits_draw_no_finding() => Specs.NoDiagnostics(Check(Specs.Valid));

    [Fact]
    public void A_finding_about_a_default_limit_comes_once_however_many_models_use_it()
    {
        var yaml = Values("rateLimitPolicy: {enabled: false}\nrateLimiting: {engine: EnvoyGateway}\nmodelDefaults:\n  limits: [{tokens: 10, window: 1m}]\n", "", "", "    limits: [{tokens: 10, window: Day}]\n");
        Specs.SingleError(Check(yaml), "modelDefaults.limits[0].window", "write window: Minute");
    }

    [Fact]
    public void A_model_s_own_list_replaces_the_defaults_even_when_empty()
    {
        var spec = Specs.Bind(Values("modelDefaults:\n  limits: [{tokens: 10, window: 1m}]\n", "    limits: []\n", ""));
        Assert.Empty(TrafficLimits.Effective(spec.Models[0], spec));
        Assert.Single(TrafficLimits.Effective(spec.Models[1], spec));
    }

    [Fact]
    public void The_engine_is_Kuadrant_unless_the_values_say_otherwise()
    {
        Assert.Equal(LimitEngine.Kuadrant, TrafficLimits.Engine(Specs.Bind(Specs.Valid)));
        Assert.Equal(LimitEngine.EnvoyGateway, TrafficLimits.Engine(Specs.Bind(Values("rateLimiting: {engine: EnvoyGateway}\n", ""))));
        Assert.Null(TrafficLimits.Engine(Specs.Bind(Values("rateLimiting: {engine: Limitador}\n", ""))));
    }

    [Theory]
    [InlineData("{tokens: 1, window: 1m}", Counted.TotalToken, null)]
    [InlineData("{tokens: 1, tokenType: OutputToken, window: 1m, per: client}", Counted.OutputToken, "x-user-id")]
    [InlineData("{requests: 1, window: 1m, clientHeader: x-tenant-id}", Counted.Requests, "x-tenant-id")]
    [InlineData("{requests: 1, window: 1m, per: model}", Counted.Requests, null)]
    public void An_item_says_what_it_counts_and_who_is_counted(string item, Counted counted, string? header)
    {
        var spec = Specs.Bind(Values(string.Empty, $"    limits: [{item}]\n"));
        var l = Assert.Single(spec.Models[0].Limits!);
        Assert.Equal(counted, TrafficLimits.CountedBy(l));
        Assert.Equal(header, TrafficLimits.ClientHeader(l, spec));
    }

    [Fact]
    public void The_values_client_header_is_the_default_of_every_per_client_item()
    {
        var spec = Specs.Bind(Values("rateLimiting: {clientHeader: x-team}\n", "    limits: [{tokens: 1, window: 1m, per: client}]\n"));
        Assert.Equal("x-team", TrafficLimits.ClientHeader(spec.Models[0].Limits![0], spec));
        Assert.Equal("total-tokens-per-x-team-1m", TrafficLimits.Name(spec.Models[0].Limits![0], Counted.TotalToken, "x-team"));
    }

    [Fact]
    public void Per_client_limits_are_required_or_forbidden_by_the_policy()
    {
        var perModel = Values(string.Empty, "    limits: [{tokens: 10, window: 24h}]\n");
        var perClient = Values(string.Empty, "    limits: [{tokens: 10, window: 24h}, {tokens: 1, window: 24h, per: client}]\n");
        Specs.NoErrors(Check(perModel));
        Specs.NoErrors(Check(perClient));
        Specs.SingleError(Check(perModel, ModelsPolicy.Default with { PerClientLimits = PerClientLimits.Required }), "models.m0.limits", "requires a per-client limit");
        Specs.NoErrors(Check(perClient, ModelsPolicy.Default with { PerClientLimits = PerClientLimits.Required }));
        Specs.SingleError(Check(perClient, ModelsPolicy.Default with { PerClientLimits = PerClientLimits.Forbidden }), "models.m0.limits[1].per", "forbids per-client limits");
    }

    [Fact]
    public void A_disabled_model_needs_no_per_client_limit() =>
        Specs.NoErrors(Check(Values(string.Empty, "    enabled: false\n"), ModelsPolicy.Default with { PerClientLimits = PerClientLimits.Required }));

    [Fact]
    public void The_policy_limits_the_engines()
    {
        var envoy = ModelsPolicy.Default with { AllowedLimitEngines = [LimitEngine.EnvoyGateway] };
        var kuadrant = ModelsPolicy.Default with { AllowedLimitEngines = [LimitEngine.Kuadrant] };
        var egValues = Values("rateLimitPolicy: {enabled: false}\nrateLimiting: {engine: EnvoyGateway}\n", "    limits: [{tokens: 10, window: Day}]\n");
        Specs.NoErrors(Check(egValues, envoy));
        Specs.SingleError(Check(egValues, kuadrant), "rateLimiting.engine", "EnvoyGateway is not allowed by the policy (allowed: Kuadrant)");

        // values without limits and without Kuadrant objects choose no engine at all
        Specs.NoErrors(Check(Values("rateLimitPolicy: {enabled: false}\n", string.Empty), envoy));
        Specs.SingleError(Check(Specs.Valid, envoy), "rateLimitPolicy.enabled", "the policy does not allow Kuadrant");
    }

    [Fact]
    public void Envoy_Gateway_with_the_chart_limits_on_warns_of_two_engines()
    {
        var both = Check(Values("rateLimiting: {engine: EnvoyGateway}\n", "    limits: [{tokens: 10, window: Day}]\n"));
        var warning = Assert.Single(both);
        Assert.Equal("rateLimiting.engine", warning.Path);
        Assert.False(warning.IsError);

        // a model whose limits count requests has no built-in default, so no Kuadrant object and no warning
        Specs.NoDiagnostics(Check(Values("rateLimiting: {engine: EnvoyGateway}\n", "    limits: [{requests: 10, window: Minute}]\n")));
    }

    [Theory]
    [InlineData(1, 2, 64)]
    [InlineData(1, 5, 64)]
    [InlineData(1, 6, 128)]
    [InlineData(1, 7, 128)]
    [InlineData(1, 8, 256)]
    [InlineData(1, 9, 256)]
    public void The_rule_cap_follows_the_Envoy_Gateway_release(int major, int minor, int cap) =>
        Assert.Equal(cap, UpstreamCaps.GlobalRateLimitRules(new Version(major, minor)));

    [Fact]
    public void A_cap_is_exceeded_only_past_it()
    {
        Assert.Null(UpstreamCaps.Exceeded(UpstreamCaps.ClientSelectorsPerRule, UpstreamCaps.ClientSelectorsPerRule, "client selectors", "a rule"));
        Assert.Equal("9 client selectors exceed the 8 that a rule may hold", UpstreamCaps.Exceeded(9, UpstreamCaps.ClientSelectorsPerRule, "client selectors", "a rule"));
        Assert.Equal("37 token costs exceed the 36 that a route may hold", UpstreamCaps.Exceeded(37, UpstreamCaps.LlmRequestCostsPerRoute, "token costs", "a route"));
    }

    [Fact]
    public void Every_model_id_fits_the_header_match_of_Envoy_Gateway_s_rate_limit_rules() =>
        Assert.True(FreeText.MaxModelIdLength <= UpstreamCaps.HeaderMatchValueLength, "ModelRules must bound model ids to what a BackendTrafficPolicy header match holds");

    [Fact]
    public void The_rule_cap_is_exactly_at_the_limit()
    {
        var items = string.Join(", ", Enumerable.Range(1, 64).Select(i => $"{{requests: {i}, window: Second, clientHeader: x-u{i}}}"));
        var yaml = Values("rateLimitPolicy: {enabled: false}\nrateLimiting: {engine: EnvoyGateway}\n", $"    limits: [{items}]\n");
        var v15 = ModelsPolicy.Default with { EnvoyGatewayVersion = new Version(1, 5) };
        Specs.NoErrors(Check(yaml, v15));
        Specs.SingleError(Check(yaml.Edit("{requests: 1,", "{requests: 1, window: Second}, {requests: 1,"), v15), "models.m0.limits", "65 limits exceed the 64");
    }
}
