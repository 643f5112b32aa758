using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class HostnameRulesTests
{
    private static string Values(string hostname, long port = 443, string? tlsHostname = null)
    {
        var tls = tlsHostname is null ? string.Empty : $", tlsHostname: \"{tlsHostname}\"";
        return Specs.Gateway
            + $"backends:\n  openai: {{resourceName: openai, schema: OpenAI, fqdn: {{hostname: \"{hostname}\", port: {port}}}{tls}, apiKeySecretRef: {{name: s, key: apiKey}}}}\n"
            + Specs.Models.Edit("ref: anthropic", "ref: openai");
    }

    private static List<AiGatewayModels.Engine.Diagnostics.Diagnostic> Check(string hostname, long port = 443, string? tls = null, ModelsPolicy? policy = null) =>
        Specs.Run(HostnameRules.Check, Values(hostname, port, tls), policy);

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("team-a.openai.azure.com")]
    [InlineData("bedrock-runtime.us-east-1.amazonaws.com")]
    [InlineData("a.io")]
    public void Public_DNS_names_on_443_pass(string hostname) => Specs.NoDiagnostics(Check(hostname));

    [Theory]
    [InlineData("API.OpenAI.com", "is not a valid hostname", "; write api.openai.com")]
    [InlineData("api.openai.com.", "is not a valid hostname", "; write api.openai.com")]
    [InlineData("api_openai.com", "is not a valid hostname", "")]
    [InlineData("https://api.openai.com", "is a URL; give the host name only", "")]
    [InlineData("api.openai.com/v1", "is a URL; give the host name only", "")]
    [InlineData("10.0.0.1", "is an IP address, which the policy denies", "")]
    [InlineData("169.254.169.254", "is an IP address, which the policy denies", "")]
    [InlineData("::1", "is an IP address", "")]
    [InlineData("[fd00::1]", "is an IP address", "")]
    [InlineData("localhost", "is denied by the policy (matches \"localhost\")", "")]
    [InlineData("api.localhost", "is denied by the policy (matches \"*.localhost\")", "")]
    [InlineData("proxy.team-a.svc", "is denied by the policy (matches \"*.svc\")", "")]
    [InlineData("proxy.team-a.svc.cluster.local", "is denied by the policy (matches \"*.cluster.local\")", "")]
    [InlineData("metadata.google.internal", "is denied by the policy (matches \"*.internal\")", "")]
    [InlineData("metadata", "is denied by the policy (matches \"metadata\")", "")]
    public void Unsafe_or_malformed_hostnames_are_errors(string hostname, string fragment, string hint)
    {
        var error = Specs.SingleError(Check(hostname), "backends.openai.fqdn.hostname", fragment);
        if (hint.Length > 0)
        {
            Assert.EndsWith(hint, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_policy_may_allow_IP_literals_but_the_metadata_address_stays_denied()
    {
        var policy = ModelsPolicy.Default with { AllowIPLiterals = true, AllowPrivateIPs = true };
        Specs.NoDiagnostics(Check("10.0.0.1", tls: "llm.example.com", policy: policy));
        Specs.SingleError(Check("169.254.169.254", policy: policy), "backends.openai.fqdn.hostname", "169.254.169.254, a link-local address, where cloud metadata services hand out credentials; no policy allows it");
    }

    [Fact]
    public void An_allow_list_admits_only_matching_hosts()
    {
        var policy = ModelsPolicy.Default with { AllowedHostnames = ["api.openai.com", "*.openai.azure.com"] };
        Specs.NoDiagnostics(Check("api.openai.com", policy: policy));
        Specs.NoDiagnostics(Check("team-a.openai.azure.com", policy: policy));
        Specs.SingleError(Check("openai.azure.com", policy: policy), "backends.openai.fqdn.hostname", "is not among the policy's allowed hostnames (api.openai.com, *.openai.azure.com)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-443)]
    [InlineData(65536)]
    [InlineData(70000)]
    public void Ports_outside_1_to_65535_are_errors_and_nothing_else(long port) =>
        Specs.SingleError(Check("api.openai.com", port), "backends.openai.fqdn.port", $"{port} is not a port");

    [Theory]
    [InlineData(80)]
    [InlineData(8080)]
    [InlineData(1)]
    [InlineData(65535)]
    public void A_port_other_than_443_without_tlsHostname_is_plaintext(long port) =>
        Specs.SingleError(Check("llm.example.com", port), "backends.openai.fqdn", $"would send its API key in plaintext (port {port}, no tlsHostname)");

    [Fact]
    public void Plaintext_is_accepted_when_the_policy_allows_it() =>
        Specs.NoDiagnostics(Check("llm.example.com", 80, policy: ModelsPolicy.Default with { AllowPlaintext = true }));

    [Fact]
    public void A_tlsHostname_makes_any_port_TLS()
    {
        Specs.NoDiagnostics(Check("llm.example.com", 8443, "llm.example.com"));
        var warning = Assert.Single(Check("gateway.example.com", 8443, "llm.example.com"));
        Assert.False(warning.IsError);
        Assert.Equal("backends.openai.tlsHostname", warning.Path);
        Assert.Contains("differs from fqdn.hostname \"gateway.example.com\": the server certificate is checked against llm.example.com", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LLM.example.com")]
    [InlineData("https://llm.example.com")]
    [InlineData("llm example")]
    public void An_invalid_tlsHostname_is_an_error_and_not_also_a_mismatch(string tls) =>
        Assert.Equal("backends.openai.tlsHostname", Specs.SingleError(Check("llm.example.com", 443, tls), "backends.openai.tlsHostname", "is not a valid TLS hostname").Path);

    [Theory]
    [InlineData(443, null, true)]
    [InlineData(8443, "x.example.com", true)]
    [InlineData(80, null, false)]
    [InlineData(8443, null, false)]
    public void UsesTls_follows_the_chart(long port, string? tls, bool expected)
    {
        var b = new BackendSpec("b", "backends.b", "b", "OpenAI", null, "x.example.com", port, null, tls);
        Assert.Equal(expected, HostnameRules.UsesTls(b));
    }
}
