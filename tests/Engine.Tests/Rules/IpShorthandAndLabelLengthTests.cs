using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

/// <summary>Address forms a resolver accepts besides dotted quads, and DNS's per-label limit, found by the webhook corpus.</summary>
public sealed class IpShorthandAndLabelLengthTests
{
    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("10.1")]
    public void Shorthand_IPv4_literals_are_denied_as_IP_addresses(string hostname) =>
        Specs.SingleError(Specs.Run(HostnameRules.Check, Values(hostname)), "backends.openai.fqdn.hostname", "is an IP address, which the policy denies");

    [Fact]
    public void A_label_longer_than_63_characters_is_not_a_hostname()
    {
        var hostname = new string('a', 64) + ".example.com";
        Specs.SingleError(Specs.Run(HostnameRules.Check, Values(hostname)), "backends.openai.fqdn.hostname", "is not a valid hostname");
    }

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("1password.example.com")]
    [InlineData("x1.y2.io")]
    public void Names_with_digits_that_are_not_addresses_pass(string hostname) =>
        Specs.NoDiagnostics(Specs.Run(HostnameRules.Check, Values(hostname)));

    private static string Values(string hostname) =>
        Specs.Gateway
        + $"backends:\n  openai: {{resourceName: openai, schema: OpenAI, fqdn: {{hostname: \"{hostname}\", port: 443}}, apiKeySecretRef: {{name: s, key: apiKey}}}}\n"
        + Specs.Models.Edit("ref: anthropic", "ref: openai");
}
