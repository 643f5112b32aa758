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
            if (b.Hostname is { } host && CheckHost(HostPath(b), host, context.Policy, applyAllowList: true) is { } hostFinding)
            {
                found.Add(hostFinding);
            }

            if (b.Port is { } port && port is < 1 or > 65535)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(FqdnPath(b), "port"), $"{port} is not a port; use 1 to 65535 (443 for HTTPS)"));
            }

            if (b.TlsHostname is { } tls)
            {
                if (!KubernetesNames.IsDnsHostname(tls))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "tlsHostname"), $"{Shown.Value(tls)} is not a valid TLS hostname; use a lowercase DNS name such as api.openai.com"));
                }
                else if (b.Hostname is { } h && !string.Equals(h, tls, StringComparison.Ordinal))
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

    /// <summary>
    /// IPv6, dotted IPv4 and the shorthand forms resolvers also accept (<c>127.1</c>, <c>2130706433</c>, <c>0x7f000001</c>):
    /// no top-level domain is numeric, so a numeric last label means an address.
    /// </summary>
    public static bool LooksLikeIpLiteral(string host)
    {
        var bare = host.AsSpan().Trim("[]");
        if (bare.Contains(':'))
        {
            return IPAddress.TryParse(bare, out _);
        }

        var last = bare[(bare.LastIndexOf('.') + 1)..];
        return last.Length > 0 && (!last.ContainsAnyExceptInRange('0', '9') || last.StartsWith("0x", StringComparison.OrdinalIgnoreCase));
    }

    private static string FqdnPath(BackendSpec b) => FieldPath.Child(b.Path, "fqdn");

    /// <summary>
    /// The one finding about a host name, if any: each reason makes the others moot. Backends' hosts and the OIDC
    /// endpoints that AI Gateway's controller calls share it; the allow list is for the providers of backends only.
    /// </summary>
    internal static Diagnostic? CheckHost(string path, string host, ModelsPolicy policy, bool applyAllowList)
    {
        if (host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is a URL; give the host name only, without scheme or path (put a path prefix into prefix)");
        }

        if (LooksLikeIpLiteral(host))
        {
            if (!policy.AllowIPLiterals)
            {
                return Diagnostic.Error(path, $"{Shown.Value(host)} is an IP address, which the policy denies: it bypasses DNS-based egress control and certificate name checks; use the provider's DNS name");
            }
        }
        else if (!KubernetesNames.IsDnsHostname(host))
        {
            var fixedHost = host.ToLowerInvariant().TrimEnd('.');
            var hint = KubernetesNames.IsDnsSubdomain(fixedHost) && !CredentialDetector.LooksLikeCredential(host) ? $"; write {fixedHost}" : string.Empty;
            return Diagnostic.Error(path, $"{Shown.Value(host)} is not a valid hostname; use a lowercase DNS name such as api.openai.com{hint}");
        }

        if (NamePattern.FirstMatch(policy.DeniedHostnames, host) is { } denied)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is denied by the policy (matches \"{denied}\"): cluster-internal, loopback and metadata endpoints must not be reachable through the gateway");
        }

        if (applyAllowList && policy.AllowedHostnames.Count > 0 && NamePattern.FirstMatch(policy.AllowedHostnames, host) is null)
        {
            return Diagnostic.Error(path, $"{Shown.Value(host)} is not among the policy's allowed hostnames ({string.Join(", ", policy.AllowedHostnames)}); use an allowed provider or ask the platform team to add it");
        }

        return null;
    }

    internal static string HostPath(BackendSpec b) => FieldPath.Child(FqdnPath(b), "hostname");
}
