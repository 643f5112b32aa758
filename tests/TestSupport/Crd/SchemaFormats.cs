using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiGatewayModels.TestSupport;

/// <summary>The <c>format</c> checks: integer ranges and the string formats the CRDs use. Unknown formats pass, as in the apiserver.</summary>
internal static partial class SchemaFormats
{
    /// <summary>The problem with <paramref name="value"/> for <paramref name="format"/>, or null when it conforms.</summary>
    public static string? Check(string format, JsonNode value)
    {
        switch (format)
        {
            case "int32":
                return JsonScalars.TryInteger(value, out var i32) && (i32 < int.MinValue || i32 > int.MaxValue)
                    ? "must fit in a 32-bit signed integer (format int32)" : null;
            case "int64":
                return JsonScalars.TryNumber(value, out var i64) && !JsonScalars.TryInteger(value, out _) && JsonScalars.IsIntegral(value)
                    ? "must fit in a 64-bit signed integer (format int64)" : null;
        }

        if (!JsonScalars.TryString(value, out var text))
        {
            return null;
        }

        var ok = format switch
        {
            "byte" => IsBase64(text),
            "date-time" or "datetime" => IsDateTime(text),
            "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "duration" => GoDuration().IsMatch(text),
            "ipv4" => IPAddress.TryParse(text, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && Ipv4().IsMatch(text),
            "ipv6" => IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !text.Contains('%', StringComparison.Ordinal),
            "hostname" => text.Length <= 255 && Hostname().IsMatch(text),
            "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
            "uuid" => Guid.TryParseExact(text, "D", out _),
            _ => true,
        };
        return ok ? null : $"must be a valid {format}, got {JsonScalars.Show(value)}";
    }

    private static bool IsBase64(string text)
    {
        // Go's base64.StdEncoding skips newlines and carriage returns.
        var compact = text.ReplaceAll("\r", "").ReplaceAll("\n", "");
        var buffer = new byte[compact.Length];
        return Base64Chars().IsMatch(compact) && Convert.TryFromBase64String(compact, buffer, out _);
    }

    private static bool IsDateTime(string text) =>
        Rfc3339().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^[A-Za-z0-9+/]*={0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Chars();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+\z", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Hostname();
}
