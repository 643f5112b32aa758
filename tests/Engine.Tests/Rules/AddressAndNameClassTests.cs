using System.Net;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

/// <summary>
/// The classes behind the hostname findings: every spelling of an IP address is read as the address it is and judged by
/// its range, and every name the gateway's pods would resolve inside the cluster or on their node is refused.
/// </summary>
public sealed class AddressAndNameClassTests
{
    private static readonly ModelsPolicy IpsAllowed = ModelsPolicy.Default with { AllowIPLiterals = true };

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0X7F000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0251.0376.0251.0376", "169.254.169.254")]
    [InlineData("0xa9fea9fe", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("169.254.43518", "169.254.169.254")]
    [InlineData("169.254.169.254.", "169.254.169.254")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("[::1]", "0:0:0:0:0:0:0:1")]
    [InlineData("0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1")]
    [InlineData("::ffff:127.0.0.1", "0:0:0:0:0:ffff:7f00:1")]
    [InlineData("::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:1")]
    [InlineData("[fd00:ec2::254]", "fd00:ec2:0:0:0:0:0:254")]
    [InlineData("2606:4700::6810:85E5", "2606:4700:0:0:0:0:6810:85e5")]
    public void Every_spelling_is_read_as_its_address(string host, string canonical)
    {
        Assert.True(IpLiterals.TryParse(host, out var address), host);
        Assert.Equal(canonical, IpLiterals.Canonical(address));
    }

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("08.1.1.1")]
    [InlineData("1.2.3.0x")]
    [InlineData("4294967296")]
    public void Numeric_names_that_are_no_address_are_still_not_hostnames(string host)
    {
        Assert.False(IpLiterals.TryParse(host, out _), host);
        Assert.True(IpLiterals.LooksNumeric(host), host);
        Specs.SingleError(Check(host, IpsAllowed), HostPath, "is neither an IP address nor a hostname");
    }

    [Theory]
    [InlineData("127.1", "127.0.0.1, a loopback address")]
    [InlineData("0x7f000001", "127.0.0.1, a loopback address")]
    [InlineData("0", "0.0.0.0, an unspecified")]
    [InlineData("0251.0376.0251.0376", "169.254.169.254, a link-local address, where cloud metadata services")]
    [InlineData("169.254.170.2", "a link-local address")]
    [InlineData("100.100.100.200", "a cloud metadata address")]
    [InlineData("[fd00:ec2::254]", "an AWS instance address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("fe80::1%eth0", "an address with a zone")]
    [InlineData("::", "the unspecified address")]
    [InlineData("::1", "the loopback address")]
    [InlineData("::ffff:169.254.169.254", "an IPv4-mapped address that reaches 169.254.169.254, a link-local address")]
    [InlineData("::ffff:0:7f00:1", "an IPv4-translated (SIIT) address that reaches 127.0.0.1")]
    [InlineData("::127.0.0.1", "a deprecated IPv4-compatible address (of 127.0.0.1)")]
    [InlineData("::8.8.8.8", "a deprecated IPv4-compatible address (of 8.8.8.8)")]
    [InlineData("64:ff9b::a9fe:a9fe", "a NAT64 address that reaches 169.254.169.254")]
    [InlineData("64:ff9b:1::7f00:1", "a NAT64 address that reaches 127.0.0.1")]
    [InlineData("2002:7f00:1::", "a 6to4 address that reaches 127.0.0.1")]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", "a Teredo address that reaches 127.0.0.1")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("255.255.255.255", "a reserved or broadcast address")]
    [InlineData("192.0.2.10", "a documentation address")]
    [InlineData("2001:db8::1", "a documentation address")]
    [InlineData("198.18.0.1", "a benchmarking address")]
    public void Addresses_that_are_never_a_backend_are_denied_whatever_the_policy(string host, string reason)
    {
        var policy = IpsAllowed with { AllowPrivateIPs = true, DeniedHostnames = [] };
        var error = Specs.SingleError(Check(host, policy), HostPath, reason);
        Assert.Contains("no policy allows it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.20.1.1")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("012.0.0.1")]
    public void Private_ranges_are_denied_unless_the_policy_allows_them(string host)
    {
        Specs.SingleError(Check(host, IpsAllowed), HostPath, "the policy denies private ranges (hostnames.allowPrivateIPs)");
        Specs.NoDiagnostics(Check(host, IpsAllowed with { AllowPrivateIPs = true }, tlsHostname: "llm.example.com"));
    }

    [Fact]
    public void A_public_address_on_443_needs_the_name_its_certificate_holds()
    {
        Specs.SingleError(Check("8.8.8.8", IpsAllowed), HostPath, "set tlsHostname to the name in the server's certificate");
        Specs.NoDiagnostics(Check("8.8.8.8", IpsAllowed, tlsHostname: "dns.google"));
        Specs.SingleError(Check("8.8.8.8", IpsAllowed, tlsHostname: "8.8.4.4"), "backends.openai.tlsHostname", "is an IP address; tlsHostname is the DNS name");
    }

    [Theory]
    [InlineData("8.8.8.8", "8.8.8.8")]
    [InlineData("0x08080808", "8.8.8.8")]
    [InlineData("::ffff:8.8.8.8", "8.8.8.8")]
    [InlineData("2606:4700::6810:85e5", "2606:4700:0:0:0:0:6810:85e5")]
    [InlineData("[2606:4700::6810:85e5]", "2606:4700:0:0:0:0:6810:85e5")]
    public void An_allowed_address_is_rendered_as_an_ip_endpoint_in_the_CRD_form(string host, string address)
    {
        var policy = IpsAllowed;
        var values = Specs.Gateway
            + $"backends:\n  openai: {{resourceName: openai, schema: OpenAI, fqdn: {{hostname: \"{host}\", port: 443}}, tlsHostname: dns.google, apiKeySecretRef: {{name: s, key: apiKey}}}}\n"
            + "  anthropic: {resourceName: anthropic, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: a, key: apiKey}}\n"
            + Specs.Models;
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", values), policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Diagnostics));
        var backend = AiGatewayModels.Engine.Rendering.Renderer.Render(evaluation.Model!).Objects.Single(o => o.Kind.Kind == "Backend" && o.Name == "openai").Manifest;
        var endpoint = backend["spec"]!["endpoints"]![0]!;
        Assert.Null(endpoint["fqdn"]);
        Assert.Equal(address, (string?)endpoint["ip"]!["address"]);
        Assert.Matches(@"^((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$|^(([0-9a-fA-F]{1,4}:){1,7}[0-9a-fA-F]{1,4}|::|(([0-9a-fA-F]{1,4}:){0,5})?(:[0-9a-fA-F]{1,4}){1,2})$", address);
    }

    [Theory]
    [InlineData("redis", "is a single-label name")]
    [InlineData("kubernetes", "is a single-label name")]
    [InlineData("ip6-localhost", "is a single-label name")]
    [InlineData("ip6-loopback", "is a single-label name")]
    [InlineData("redis.team-b", "does not end in a public top-level domain (.team-b is not one)")]
    [InlineData("kubernetes.default", "does not end in a public top-level domain")]
    [InlineData("kube-dns.kube-system", "does not end in a public top-level domain")]
    [InlineData("vllm.ml.svc.cluster", "does not end in a public top-level domain")]
    [InlineData("localhost.localdomain", "does not end in a public top-level domain")]
    [InlineData("printer.lan", "does not end in a public top-level domain")]
    [InlineData("gitlab.corp", "does not end in a public top-level domain")]
    [InlineData("llm.home", "does not end in a public top-level domain")]
    [InlineData("nas.local", "is under .local, a special-use domain")]
    [InlineData("nas.home.arpa", "is under .arpa, a special-use domain")]
    [InlineData("1.0.0.127.in-addr.arpa", "is under .arpa")]
    [InlineData("hidden.onion", "is under .onion")]
    [InlineData("api.test", "is under .test")]
    [InlineData("api.example", "is under .example")]
    [InlineData("api.invalid", "is under .invalid")]
    [InlineData("api.alt", "is under .alt")]
    public void Names_the_cluster_or_the_node_resolves_are_denied_by_default(string host, string reason) =>
        Specs.SingleError(Check(host, ModelsPolicy.Default), HostPath, reason);

    [Theory]
    [InlineData("127.0.0.1.nip.io", "*.nip.io")]
    [InlineData("10-0-0-1.sslip.io", "*.sslip.io")]
    [InlineData("localtest.me", "localtest.me")]
    [InlineData("app.lvh.me", "*.lvh.me")]
    public void Public_names_that_resolve_to_the_address_written_in_them_are_denied(string host, string pattern) =>
        Specs.SingleError(Check(host, ModelsPolicy.Default), HostPath, $"matches \"{pattern}\"");

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("api.x.ai")]
    [InlineData("api.mistral.ai")]
    [InlineData("generativelanguage.googleapis.com")]
    [InlineData("llm.internal-tools.dev")]
    [InlineData("inference.example.app")]
    [InlineData("models.xn--p1ai")]
    public void Names_under_public_top_level_domains_pass(string host) => Specs.NoDiagnostics(Check(host, ModelsPolicy.Default));

    [Fact]
    public void The_policy_allows_an_internal_host_by_name_but_not_by_a_bare_wildcard()
    {
        var byName = ModelsPolicy.Default with { AllowedHostnames = ["vllm.ml.svc.cluster.local", "*.team-b"], DeniedHostnames = [] };
        Specs.NoDiagnostics(Check("vllm.ml.svc.cluster.local", byName));
        Specs.NoDiagnostics(Check("redis.team-b", byName));
        var anything = ModelsPolicy.Default with { AllowedHostnames = ["*"], DeniedHostnames = [] };
        Specs.SingleError(Check("kubernetes.default", anything), HostPath, "does not end in a public top-level domain");
    }

    [Fact]
    public void The_policy_reads_allowPrivateIPs()
    {
        var (policy, diagnostics) = PolicyReader.Read("hostnames:\n  allowIPLiterals: true\n  allowPrivateIPs: true\n");
        Assert.Empty(diagnostics);
        Assert.True(policy!.AllowPrivateIPs);
        Assert.False(ModelsPolicy.Default.AllowPrivateIPs);
    }

    [Fact]
    public void Every_address_of_the_ranges_is_classified_the_same_in_its_IPv4_mapped_form()
    {
        foreach (var v4 in new[] { "127.0.0.1", "169.254.169.254", "10.1.1.1", "8.8.8.8", "0.0.0.0", "224.0.0.5", "100.64.1.1" })
        {
            var plain = AddressRanges.Classify(IPAddress.Parse(v4)).Use;
            var mapped = AddressRanges.Classify(IPAddress.Parse(v4).MapToIPv6()).Use;
            Assert.Equal(plain, mapped);
        }
    }

    private const string HostPath = "backends.openai.fqdn.hostname";

    private static List<AiGatewayModels.Engine.Diagnostics.Diagnostic> Check(string host, ModelsPolicy policy, string? tlsHostname = null) =>
        Specs.Run(HostnameRules.Check, Values(host, tlsHostname), policy);

    private static string Values(string host, string? tlsHostname = null)
    {
        var tls = tlsHostname is null ? string.Empty : $", tlsHostname: \"{tlsHostname}\"";
        return Specs.Gateway
            + $"backends:\n  openai: {{resourceName: openai, schema: OpenAI, fqdn: {{hostname: \"{host}\", port: 443}}{tls}, apiKeySecretRef: {{name: s, key: apiKey}}}}\n"
            + Specs.Models.Edit("ref: anthropic", "ref: openai");
    }
}
