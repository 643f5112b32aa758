using System.Net;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Where a backend sends traffic (and its API key): public DNS names only by default, over TLS, on a real port.
/// </summary>
public static class HostnameRules
{
    public const int TlsPort = 443;

    /// <summary>A backend talks TLS when it names a TLS hostname or uses port 443, as the chart assumed.</summary>
    public static bool UsesTls(BackendSpec b) => b.TlsHostname is not null || b.Port == TlsPort;

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        foreach (var b in values.Backends)
        {
            if (b.Hostname is { } host && CheckHost(HostPath(b), host, context.Policy, b) is { } hostFinding)
            {
                found.Add(hostFinding);
            }

            if (b.Port is { } port && port is < 1 or > 65535)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(FqdnPath(b), "port"), $"{port} is not a port; use 1 to 65535 (443 for HTTPS)"));
            }

            if (b.TlsHostname is { } tls)
            {
                if (IpLiterals.LooksNumeric(tls) || IpLiterals.TryParse(tls, out _))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "tlsHostname"), $"{Shown.Value(tls)} is an IP address; tlsHostname is the DNS name in the server's certificate"));
                }
                else if (!KubernetesNames.IsDnsHostname(tls))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "tlsHostname"), $"{Shown.Value(tls)} is not a valid TLS hostname; use a lowercase DNS name such as api.openai.com"));
                }
                else if (b.Hostname is { } h && !string.Equals(h, tls, StringComparison.Ordinal) && !IpLiterals.LooksNumeric(h))
                {
                    found.Add(Diagnostic.Warning(FieldPath.Child(b.Path, "tlsHostname"), $"{Shown.Value(tls)} differs from fqdn.hostname {Shown.Value(h)}: the server certificate is checked against {tls}"));
                }
            }

            // An impossible port is reported above; calling it plaintext as well would only confuse.
            if (b.Port is { } p and >= 1 and <= 65535 && !UsesTls(b) && !context.Policy.AllowPlaintext)
            {
                var what = b.ApiKeySecretRef is null && BackendSecrets.Blocks(b).Any() ? "credentials" : "API key";
                found.Add(Diagnostic.Error(FqdnPath(b), $"backend {b.Key} would send its {what} in plaintext (port {p}, no tlsHostname); set tlsHostname to use TLS, or allow plaintext in the policy"));
            }
        }

        return found;
    }

    private static string FqdnPath(BackendSpec b) => FieldPath.Child(b.Path, "fqdn");

    /// <summary>
    /// The one finding about a host name, if any: each reason makes the others moot. Backends' hosts and the OIDC
    /// endpoints that AI Gateway's controller calls share it, internal names and address ranges included; the allow
    /// list and tlsHostname are for backends only (<paramref name="backend"/> is null for an endpoint).
    /// </summary>
    internal static Diagnostic? CheckHost(string path, string host, ModelsPolicy policy, BackendSpec? backend)
    {
        if (host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is a URL; give the host name only, without scheme or path (put a path prefix into prefix)");
        }

        var isAddress = IpLiterals.TryParse(host, out var address);
        if (isAddress || IpLiterals.LooksNumeric(host))
        {
            return CheckAddress(path, host, isAddress ? address : null, policy, backend);
        }

        if (!KubernetesNames.IsDnsHostname(host))
        {
            var fixedHost = host.ToLowerInvariant().TrimEnd('.');
            var hint = KubernetesNames.IsDnsSubdomain(fixedHost) && !CredentialDetector.LooksLikeCredential(host) ? $"; write {fixedHost}" : string.Empty;
            return Diagnostic.Error(path, $"{Shown.Value(host)} is not a valid hostname; use a lowercase DNS name such as api.openai.com{hint}");
        }

        if (NamePattern.FirstMatch(policy.DeniedHostnames, host) is { } denied)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is denied by the policy (matches \"{denied}\"): cluster-internal, loopback and metadata endpoints must not be reachable through the gateway");
        }

        // A host the platform team allowed by name (not by "*") may be internal: that is what allowing it means.
        if (!IsAllowedByName(policy, host) && InternalNames.Reason(host) is { } reason)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} {reason}; use the provider's public DNS name, or ask the platform team to allow this host in the policy (hostnames.allowed)");
        }

        return NotAllowed(path, host, policy, backend);
    }

    /// <summary>
    /// An IP literal: denied unless the policy allows them; then judged by its range whatever its spelling, and rendered
    /// in the one form the Backend CRD's ip endpoint takes.
    /// </summary>
    private static Diagnostic? CheckAddress(string path, string host, System.Net.IPAddress? address, ModelsPolicy policy, BackendSpec? backend)
    {
        if (!policy.AllowIPLiterals)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is an IP address, which the policy denies: it bypasses DNS-based egress control and certificate name checks; use the provider's DNS name");
        }

        if (address is null)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is neither an IP address nor a hostname (no top-level domain is numeric); use the provider's DNS name");
        }

        var canonical = IpLiterals.Canonical(address);
        var (use, reason, _) = AddressRanges.Classify(address);
        if (use == AddressUse.Denied)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is {canonical}, {reason}; no policy allows it as a backend");
        }

        if (use == AddressUse.Private && !policy.AllowPrivateIPs)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is {canonical}, {reason}, where the cluster's own Pods and Services live; the policy denies private ranges (hostnames.allowPrivateIPs)");
        }

        if ((NamePattern.FirstMatch(policy.DeniedHostnames, canonical) ?? NamePattern.FirstMatch(policy.DeniedHostnames, host)) is { } denied)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is denied by the policy (matches \"{denied}\"): cluster-internal, loopback and metadata endpoints must not be reachable through the gateway");
        }

        if (backend is { Port: TlsPort, TlsHostname: null })
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is an IP address on port 443, and a server certificate cannot be checked against an address here; set tlsHostname to the name in the server's certificate");
        }

        return NotAllowed(path, canonical, policy, backend);
    }

    private static Diagnostic? NotAllowed(string path, string host, ModelsPolicy policy, BackendSpec? backend) =>
        backend is not null && policy.AllowedHostnames.Count > 0 && NamePattern.FirstMatch(policy.AllowedHostnames, host) is null
            ? Diagnostic.Error(path, $"{Shown.Value(host)} is not among the policy's allowed hostnames ({string.Join(", ", policy.AllowedHostnames)}); use an allowed provider or ask the platform team to add it")
            : null;

    private static bool IsAllowedByName(ModelsPolicy policy, string host)
    {
        foreach (var pattern in policy.AllowedHostnames)
        {
            if (pattern != "*" && NamePattern.Matches(pattern, host))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The address a backend's hostname spells, in the form the Backend CRD's ip endpoint takes; null for a DNS name.</summary>
    public static string? AddressOf(string host)
    {
        if (!IpLiterals.TryParse(host, out var address))
        {
            return null;
        }

        // An IPv4-mapped IPv6 address connects to its IPv4 address; the IPv4 form needs no dual-stack socket.
        return IpLiterals.Canonical(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    internal static string HostPath(BackendSpec b) => FieldPath.Child(FqdnPath(b), "hostname");
}
