using System.Text.Unicode;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// Whether an AdmissionReview body is Unicode text throughout, checked on its bytes before it is parsed. JSON must be
/// UTF-8 (RFC 8259 section 8.1), yet its grammar lets a <c>\u</c> escape name half of a surrogate pair alone; .NET then
/// fails deep inside whichever rule first reads that string. No apiserver sends either (Go's encoder writes U+FFFD), so
/// both are refused at the door with a 400 instead of ending as an internal error.
/// </summary>
internal static class UnicodeText
{
    /// <summary>Null when <paramref name="json"/> is valid UTF-8 with every escaped surrogate paired; else what is wrong.</summary>
    public static string? Problem(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return "the body is not valid UTF-8 (an AdmissionReview is JSON, which must be UTF-8)";
        }

        // a backslash occurs only inside strings in valid JSON (anything else fails to parse later, with its own 400)
        for (var i = json.IndexOf((byte)'\\'); i >= 0 && i < json.Length; i = NextBackslash(json, i))
        {
            if (i + 1 >= json.Length || json[i + 1] != (byte)'u')
            {
                i += 2; // \" \\ \/ \n ...
                continue;
            }

            var unit = Hex4(json, i + 2);
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return LoneSurrogate;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                var next = i + 6;
                if (next + 1 >= json.Length || json[next] != (byte)'\\' || json[next + 1] != (byte)'u' || Hex4(json, next + 2) is not (>= 0xDC00 and <= 0xDFFF))
                {
                    return LoneSurrogate;
                }

                i = next + 6;
                continue;
            }

            i += 6;
        }

        return null;
    }

    private const string LoneSurrogate = "the body holds an escaped surrogate (\\uD800-\\uDFFF) that is not half of a pair: that is not Unicode text";

    private static int NextBackslash(ReadOnlySpan<byte> json, int from)
    {
        if (from >= json.Length)
        {
            return -1;
        }

        var at = json[from..].IndexOf((byte)'\\');
        return at < 0 ? -1 : from + at;
    }

    /// <summary>The four hex digits at <paramref name="at"/>; -1 when they are not there (the parser reports that).</summary>
    private static int Hex4(ReadOnlySpan<byte> json, int at)
    {
        if (at + 4 > json.Length)
        {
            return -1;
        }

        var value = 0;
        foreach (var b in json.Slice(at, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            value = (value * 16) + digit;
        }

        return value;
    }
}
