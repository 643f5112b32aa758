using AiGatewayModels.Engine.Policy;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Policy;

public sealed class PolicyReaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n  \n")]
    [InlineData("# the defaults are fine\n")]
    [InlineData("~\n")]
    public void A_policy_that_sets_nothing_is_the_default(string text)
    {
        var (policy, diagnostics) = PolicyReader.Read(text);
        Assert.Same(ModelsPolicy.Default, policy);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Every_setting_is_read()
    {
        var (policy, diagnostics) = PolicyReader.Read("""
            minBackendsPerModel: 3
            hostnames:
              allowed: [api.openai.com, "*.openai.azure.com"]
              denied: [localhost]
              allowIPLiterals: true
            allowPlaintext: true
            allowedSchemas: [OpenAI, AzureOpenAI]
            allowedGateways:
              - namespaces: "team-*"
                gateways: ["gateway-system/*"]
              - gateways: [shared]
            maxRequestsPerWindow: 5000
            credentials:
              allowedTypes: [AWSCredentials, GCPCredentials]
              deniedTypes: [APIKey]
              requireKeyless: true
              gatewayIdentityNamespaces: ["ml-*"]
            """);
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.Equal(3, policy.MinBackendsPerModel);
        Assert.Equal(["api.openai.com", "*.openai.azure.com"], policy.AllowedHostnames);
        Assert.Equal(["localhost"], policy.DeniedHostnames);
        Assert.True(policy.AllowIPLiterals);
        Assert.True(policy.AllowPlaintext);
        Assert.Equal(["OpenAI", "AzureOpenAI"], policy.AllowedSchemas);
        Assert.Equal(2, policy.AllowedGateways.Count);
        Assert.Equal("team-*", policy.AllowedGateways[0].Namespaces);
        Assert.Equal("*", policy.AllowedGateways[1].Namespaces);
        Assert.Equal(5000, policy.MaxRequestsPerWindow);
        Assert.Equal(["AWSCredentials", "GCPCredentials"], policy.AllowedCredentialTypes);
        Assert.Equal(["APIKey"], policy.DeniedCredentialTypes);
        Assert.True(policy.RequireKeylessCredentials);
        Assert.Equal(["ml-*"], policy.GatewayIdentityNamespaces);
    }

    [Fact]
    public void The_limit_and_failover_settings_are_read()
    {
        var (policy, diagnostics) = PolicyReader.Read("""
            knownCrashPatterns: Warn
            rateLimiting:
              allowedEngines: [EnvoyGateway]
              perClientLimits: Required
              allowedClientHeaders: [x-user-id, x-tenant-id]
              maxTokensPerWindow: 1000000
              envoyGatewayVersion: v1.6.2
            """);
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.Equal(CrashPatternAction.Warn, policy.KnownCrashPatterns);
        Assert.Equal([AiGatewayModels.Engine.Model.LimitEngine.EnvoyGateway], policy.AllowedLimitEngines);
        Assert.Equal(PerClientLimits.Required, policy.PerClientLimits);
        Assert.Equal(["x-user-id", "x-tenant-id"], policy.AllowedClientHeaders);
        Assert.Equal(1_000_000, policy.MaxTokensPerWindow);
        Assert.Equal(new Version(1, 6), policy.EnvoyGatewayVersion);
    }

    [Theory]
    [InlineData("knownCrashPatterns: warn\n", "knownCrashPatterns", "unknown value \"warn\" (did you mean \"Warn\"?); one of Deny, Warn")]
    [InlineData("rateLimiting: {allowedEngines: [Kuadrant, Envoy]}\n", "rateLimiting.allowedEngines[1]", "unknown value \"Envoy\"")]
    [InlineData("rateLimiting: {perClientLimits: required}\n", "rateLimiting.perClientLimits", "(did you mean \"Required\"?)")]
    [InlineData("rateLimiting: {allowedClientHeaders: [Authorization]}\n", "rateLimiting.allowedClientHeaders[0]", "carries a credential")]
    [InlineData("rateLimiting: {maxTokensPerWindow: 0}\n", "rateLimiting.maxTokensPerWindow", "must be at least 1")]
    [InlineData("rateLimiting: {envoyGatewayVersion: latest}\n", "rateLimiting.envoyGatewayVersion", "write it like v1.8")]
    [InlineData("rateLimiting: {envoyGatewayVersion: \"2.0\"}\n", "rateLimiting.envoyGatewayVersion", "is not an Envoy Gateway release")]
    [InlineData("rateLimiting: {engines: [Kuadrant]}\n", "rateLimiting.engines", "unknown key \"engines\"; allowed here: allowedEngines")]
    public void A_broken_limit_setting_is_refused_with_its_path(string text, string path, string fragment)
    {
        var (policy, diagnostics) = PolicyReader.Read(text);
        Assert.Null(policy);
        var error = Assert.Single(diagnostics);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_settings_keep_their_safe_defaults()
    {
        var (policy, _) = PolicyReader.Read("allowPlaintext: false\n");
        Assert.NotNull(policy);
        Assert.Equal(2, policy.MinBackendsPerModel);
        Assert.Equal(ModelsPolicy.DefaultDeniedHostnames, policy.DeniedHostnames);
        Assert.False(policy.AllowIPLiterals);
        Assert.Null(policy.MaxRequestsPerWindow);
        Assert.Empty(policy.AllowedCredentialTypes);
        Assert.Empty(policy.DeniedCredentialTypes);
        Assert.False(policy.RequireKeylessCredentials);
        Assert.Empty(policy.GatewayIdentityNamespaces); // nobody borrows the gateway's cloud identity unless granted
        Assert.Equal(CrashPatternAction.Deny, policy.KnownCrashPatterns);
        Assert.Empty(policy.AllowedLimitEngines);
        Assert.Equal(PerClientLimits.Allowed, policy.PerClientLimits);
        Assert.Equal(new Version(1, 8), policy.EnvoyGatewayVersion);
    }

    [Theory]
    [InlineData("minBackendsPerModel: 0\n", "minBackendsPerModel", "must be between 1 and 16")]
    [InlineData("minBackendsPerModel: 17\n", "minBackendsPerModel", "must be between 1 and 16")]
    [InlineData("maxRequestsPerWindow: 0\n", "maxRequestsPerWindow", "must be at least 1")]
    [InlineData("allowedSchemas: [OpenAi]\n", "allowedSchemas", "unknown schema \"OpenAi\" (did you mean \"OpenAI\"?)")]
    [InlineData("allowedGateways: {namespaces: a}\n", "allowedGateways", "expected a list of {namespaces, gateways}")]
    [InlineData("allowedGateways: [{namespaces: a}]\n", "allowedGateways[0].gateways", "list the Gateways")]
    [InlineData("allowPlaintxt: true\n", "allowPlaintxt", "unknown key \"allowPlaintxt\" (did you mean \"allowPlaintext\"?)")]
    [InlineData("hostnames: {allow: [x]}\n", "hostnames.allow", "(did you mean \"allowed\"?)")]
    [InlineData("allowPlaintext: yes\n", "allowPlaintext", "expected true or false")]
    [InlineData("credentials: {allowedTypes: [AWSCredential]}\n", "credentials.allowedTypes", "unknown credential type \"AWSCredential\" (did you mean \"AWSCredentials\"?)")]
    [InlineData("credentials: {deniedTypes: [ApiKey]}\n", "credentials.deniedTypes", "unknown credential type \"ApiKey\" (did you mean \"APIKey\"?)")]
    [InlineData("credentials: {requireKeyless: maybe}\n", "credentials.requireKeyless", "expected true or false")]
    [InlineData("credentials: {keyless: true}\n", "credentials.keyless", "unknown key \"keyless\"")]
    [InlineData("rateLimiting: {budgets: {maxPerWindow: 100}}\n", "rateLimiting.budgets.currency", "name their currency")]
    [InlineData("rateLimiting: {budgets: {currency: usd}}\n", "rateLimiting.budgets.currency", "write it in capitals: USD")]
    [InlineData("rateLimiting: {budgets: {currency: USD, maxPerWindow: 50000000}}\n", "rateLimiting.budgets.maxPerWindow", "at most 42949672.95")]
    [InlineData("rateLimiting: {budgets: {currency: USD, maxPerWindow: 0.0000001}}\n", "rateLimiting.budgets.maxPerWindow", "at most 6 decimal places")]
    [InlineData("rateLimiting: {budgets: {currency: USD, maxPricePerMillionTokens: -1}}\n", "rateLimiting.budgets.maxPricePerMillionTokens", "must be above 0")]
    [InlineData("rateLimiting: {budgets: {perClient: Requried}}\n", "rateLimiting.budgets.perClient", "(did you mean \"Required\"?)")]
    [InlineData("rateLimiting: {budgets: {perClient: Forbidden}}\n", "rateLimiting.budgets.perClient", "rateLimiting.perClientLimits: Forbidden")]
    [InlineData("rateLimiting: {allowAcrossModels: no}\n", "rateLimiting.allowAcrossModels", "expected true or false")]
    [InlineData("credentials: {requireSecretLabel: no}\n", "credentials.requireSecretLabel", "expected true or false")]
    [InlineData("ceilings: {modelsPerConfigMap: 0}\n", "ceilings.modelsPerConfigMap", "must be between 1 and 1,000,000, got 0")]
    [InlineData("ceilings: {objectsPerNamespace: 1000001}\n", "ceilings.objectsPerNamespace", "must be between 1 and 1,000,000, got 1000001")]
    [InlineData("ceilings: {modelsPerNamespce: 5}\n", "ceilings.modelsPerNamespce", "(did you mean \"modelsPerNamespace\"?)")]
    [InlineData("ceilings: {objectsPerConfigMap: ~}\n", "ceilings.objectsPerConfigMap", "null")]
    public void Mistakes_are_reported_and_yield_no_policy(string text, string path, string fragment)
    {
        var (policy, diagnostics) = PolicyReader.Read(text);
        Assert.Null(policy);
        var error = Assert.Single(diagnostics);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_settings_are_read()
    {
        var (policy, diagnostics) = PolicyReader.Read("""
            rateLimiting:
              allowAcrossModels: false
              budgets: {currency: EUR, maxPerWindow: 2500.50, maxPricePerMillionTokens: 75, perClient: Required}
            """);
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.False(policy.AllowAcrossModels);
        Assert.Equal("EUR", policy.Budgets.Currency);
        Assert.Equal(2500.50m, policy.Budgets.MaxPerWindow);
        Assert.Equal(75m, policy.Budgets.MaxPricePerMillionTokens);
        Assert.Equal(PerClientLimits.Required, policy.Budgets.PerClient);
        Assert.True(ModelsPolicy.Default.AllowAcrossModels);
        Assert.Same(BudgetPolicy.Default, ModelsPolicy.Default.Budgets);
    }

    [Fact]
    public void The_size_ceilings_are_read_and_unset_ones_keep_their_defaults()
    {
        var (policy, diagnostics) = PolicyReader.Read("ceilings: {modelsPerConfigMap: 200, objectsPerNamespace: 3000}\n");
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.Equal(new SizeCeilings { ModelsPerConfigMap = 200, ObjectsPerNamespace = 3000 }, policy.Ceilings);
        Assert.Equal(SizeCeilings.Default.ObjectsPerConfigMap, policy.Ceilings.ObjectsPerConfigMap);
        Assert.Equal(SizeCeilings.Default.ModelsPerNamespace, policy.Ceilings.ModelsPerNamespace);
        Assert.Equal((1_000, 5_000, 2_000, 10_000), (SizeCeilings.Default.ModelsPerConfigMap, SizeCeilings.Default.ObjectsPerConfigMap, SizeCeilings.Default.ModelsPerNamespace, SizeCeilings.Default.ObjectsPerNamespace));
        Assert.Same(SizeCeilings.Default, ModelsPolicy.Default.Ceilings);
    }
}
