using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Reads an IP address in every spelling a resolver or a socket library accepts, so that none slips past as a
/// hostname: IPv6 with or without brackets and embedded IPv4, and IPv4 as <c>inet_aton</c> reads it (one to four parts,
/// each decimal, <c>0x</c> hex or <c>0</c>-led octal: <c>127.1</c>, <c>2130706433</c>, <c>0x7f000001</c>, <c>0177.0.0.1</c>).
/// </summary>
public static class IpLiterals
{
    private static readonly System.Buffers.SearchValues<char> Ipv6Characters = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>The address <paramref name="host"/> spells, if it spells one.</summary>
    public static bool TryParse(string host, out IPAddress address)
    {
        address = IPAddress.None;
        var text = host.AsSpan().Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // "127.0.0.1." is the same address, as an absolute name.
        if (text.Length > 1 && text[^1] == '.')
        {
            text = text[..^1];
        }

        return TryParseInetAton(text, out address);
    }

    /// <summary>
    /// Whether <paramref name="host"/> is written like an address even when it is not a valid one (<c>1.2.3.4.5</c>,
    /// <c>0x7g</c>): no top-level domain is numeric, so a numeric last label never names a host.
    /// </summary>
    public static bool LooksNumeric(string host)
    {
        var bare = host.AsSpan().Trim().Trim("[]").TrimEnd('.');
        if (bare.Contains(':'))
        {
            // IPv6-like: hex digits, colons and dots, and maybe a zone after '%' (a URL has letters past f, or a '/').
            var zone = bare.IndexOf('%');
            return !(zone < 0 ? bare : bare[..zone]).ContainsAnyExcept(Ipv6Characters);
        }

        var last = bare[(bare.LastIndexOf('.') + 1)..];
        return last.Length > 0 && (!last.ContainsAnyExceptInRange('0', '9') || last.StartsWith("0x", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The form the Backend CRD's <c>ip.address</c> pattern accepts: dotted quad, or all eight IPv6 groups.</summary>
    public static string Canonical(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] * 256) + bytes[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture);
        }

        return string.Join(':', groups);
    }

    private static bool TryParseInetAton(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<ulong> parts = stackalloc ulong[4];
        var count = 0;
        foreach (var range in text.Split('.'))
        {
            if (count == 4 || !TryParsePart(text[range], out parts[count]))
            {
                return false;
            }

            count++;
        }

        if (count == 0)
        {
            return false;
        }

        // Every part but the last is one byte; the last fills the bytes that remain.
        ulong value = 0;
        for (var i = 0; i < count - 1; i++)
        {
            if (parts[i] > 255)
            {
                return false;
            }

            value |= parts[i] << (8 * (3 - i));
        }

        var lastBits = 8 * (5 - count);
        if (parts[count - 1] >= 1UL << lastBits)
        {
            return false;
        }

        value |= parts[count - 1];
        address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || part.Length > 32)
        {
            return false;
        }

        if (part.Length > 2 && part[0] == '0' && part[1] is 'x' or 'X')
        {
            return ulong.TryParse(part[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var c in part[1..])
            {
                if (c is < '0' or > '7' || value > (ulong.MaxValue >> 3))
                {
                    return false;
                }

                value = (value * 8) + (uint)(c - '0');
            }

            return true;
        }

        return !part.ContainsAnyExceptInRange('0', '9') && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
