using System.Net;
using System.Net.Sockets;

namespace AiGatewayModels.Engine.Rules;

/// <summary>How an IP address may be used as a backend, whatever the policy says about IP literals in general.</summary>
public enum AddressUse
{
    /// <summary>A public unicast address.</summary>
    Public,

    /// <summary>A private range (RFC 1918, shared address space, unique local): the cluster's own networks live there.</summary>
    Private,

    /// <summary>Never a backend: loopback, link-local (cloud metadata), unspecified, multicast, documentation, reserved.</summary>
    Denied,
}

/// <summary>
/// The special-purpose ranges of the IANA IPv4 and IPv6 registries (RFC 6890 and successors) that matter for where a
/// gateway may send an API key, and the addresses embedded in IPv6 transition forms (IPv4-mapped and -compatible,
/// SIIT, NAT64, 6to4, Teredo), which are judged by the IPv4 address they reach.
/// </summary>
public static class AddressRanges
{
    private static readonly (IPAddress Network, int Bits, AddressUse Use, string Reason)[] V4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8, AddressUse.Denied, "an unspecified (\"this network\") address, which reaches the gateway itself"),
        (IPAddress.Parse("127.0.0.0"), 8, AddressUse.Denied, "a loopback address, the gateway's own pod"),
        (IPAddress.Parse("169.254.0.0"), 16, AddressUse.Denied, "a link-local address, where cloud metadata services hand out credentials"),
        (IPAddress.Parse("100.100.100.200"), 32, AddressUse.Denied, "a cloud metadata address"),
        (IPAddress.Parse("224.0.0.0"), 4, AddressUse.Denied, "a multicast address"),
        (IPAddress.Parse("240.0.0.0"), 4, AddressUse.Denied, "a reserved or broadcast address"),
        (IPAddress.Parse("192.0.0.0"), 24, AddressUse.Denied, "an IETF protocol assignment"),
        (IPAddress.Parse("192.0.2.0"), 24, AddressUse.Denied, "a documentation address (TEST-NET-1)"),
        (IPAddress.Parse("198.51.100.0"), 24, AddressUse.Denied, "a documentation address (TEST-NET-2)"),
        (IPAddress.Parse("203.0.113.0"), 24, AddressUse.Denied, "a documentation address (TEST-NET-3)"),
        (IPAddress.Parse("198.18.0.0"), 15, AddressUse.Denied, "a benchmarking address"),
        (IPAddress.Parse("192.88.99.0"), 24, AddressUse.Denied, "a deprecated 6to4 relay address"),
        (IPAddress.Parse("10.0.0.0"), 8, AddressUse.Private, "a private address (RFC 1918)"),
        (IPAddress.Parse("172.16.0.0"), 12, AddressUse.Private, "a private address (RFC 1918)"),
        (IPAddress.Parse("192.168.0.0"), 16, AddressUse.Private, "a private address (RFC 1918)"),
        (IPAddress.Parse("100.64.0.0"), 10, AddressUse.Private, "a shared (carrier-grade NAT) address, private to a provider or cluster"),
    ];

    private static readonly (IPAddress Network, int Bits, AddressUse Use, string Reason)[] V6 =
    [
        (IPAddress.Parse("::"), 128, AddressUse.Denied, "the unspecified address, which reaches the gateway itself"),
        (IPAddress.Parse("::1"), 128, AddressUse.Denied, "the loopback address, the gateway's own pod"),
        (IPAddress.Parse("fd00:ec2::"), 32, AddressUse.Denied, "an AWS instance address (fd00:ec2::254 is the metadata service)"),
        (IPAddress.Parse("fe80::"), 10, AddressUse.Denied, "a link-local address, where cloud metadata services hand out credentials"),
        (IPAddress.Parse("fec0::"), 10, AddressUse.Denied, "a deprecated site-local address"),
        (IPAddress.Parse("ff00::"), 8, AddressUse.Denied, "a multicast address"),
        (IPAddress.Parse("100::"), 64, AddressUse.Denied, "a discard-only address"),
        (IPAddress.Parse("2001:db8::"), 32, AddressUse.Denied, "a documentation address"),
        (IPAddress.Parse("3fff::"), 20, AddressUse.Denied, "a documentation address"),
        (IPAddress.Parse("5f00::"), 16, AddressUse.Denied, "a segment-routing address"),
        (IPAddress.Parse("2001:2::"), 48, AddressUse.Denied, "a benchmarking address"),
        (IPAddress.Parse("2001:10::"), 28, AddressUse.Denied, "an ORCHID address, not routable"),
        (IPAddress.Parse("2001:20::"), 28, AddressUse.Denied, "an ORCHIDv2 address, not routable"),
        (IPAddress.Parse("fc00::"), 7, AddressUse.Private, "a unique local address (fc00::/7), private to a site or cluster"),
    ];

    /// <summary>How <paramref name="address"/> may be used, why, and the IPv4 address it reaches if it embeds one.</summary>
    public static (AddressUse Use, string Reason, IPAddress? Embedded) Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return (AddressUse.Denied, "an address with a zone, which names an interface of the gateway's own node", null);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Embedded(address) is { } embedded)
        {
            var (v4, form) = embedded;
            if (form.StartsWith("a deprecated", StringComparison.Ordinal))
            {
                return (AddressUse.Denied, $"{form} (of {v4}), which no network routes", v4);
            }

            var (use, reason, _) = Classify(v4);
            return use == AddressUse.Public
                ? (AddressUse.Public, form, v4)
                : (use, $"{form} that reaches {v4}, {reason}", v4);
        }

        foreach (var (network, bits, use, reason) in address.AddressFamily == AddressFamily.InterNetwork ? V4 : V6)
        {
            if (InRange(address, network, bits))
            {
                return (use, reason, null);
            }
        }

        return (AddressUse.Public, "a public address", null);
    }

    /// <summary>The IPv4 address that an IPv6 transition form carries, and the form's name.</summary>
    private static (IPAddress V4, string Form)? Embedded(IPAddress v6)
    {
        var b = v6.GetAddressBytes();
        if (v6.IsIPv4MappedToIPv6)
        {
            return (v6.MapToIPv4(), "an IPv4-mapped address");
        }

        if (IsZero(b, 0, 12) && !IsZero(b, 12, 4) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1))
        {
            return (new IPAddress(b[12..16]), "a deprecated IPv4-compatible address");
        }

        if (IsZero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
        {
            return (new IPAddress(b[12..16]), "an IPv4-translated (SIIT) address");
        }

        if (InRange(v6, IPAddress.Parse("64:ff9b::"), 96) || InRange(v6, IPAddress.Parse("64:ff9b:1::"), 48))
        {
            return (new IPAddress(b[12..16]), "a NAT64 address");
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return (new IPAddress(b[2..6]), "a 6to4 address");
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            // Teredo: the server's IPv4 address in bits 32 to 63, the client's inverted in the last 32.
            return (new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]), "a Teredo address");
        }

        return null;
    }

    private static bool IsZero(byte[] bytes, int start, int length) => !bytes.AsSpan(start, length).ContainsAnyExcept((byte)0);

    private static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = bits / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xff << (8 - rest));
        return (a[whole] & mask) == (n[whole] & mask);
    }
}
