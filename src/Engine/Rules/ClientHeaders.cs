using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// The request header that tells clients apart for per-client limits. It goes into an Envoy Gateway header match and
/// into a Kuadrant CEL expression (<c>request.headers['x-user-id']</c>), so the name is held to lowercase letters,
/// digits, '-', '_' and '.': nothing that could end the CEL string, and the form Envoy keys headers by.
/// </summary>
public static partial class ClientHeaders
{
    /// <summary>The chart's choice (0.1.4), and the usual header an authenticating proxy sets.</summary>
    public const string Default = "x-user-id";

    /// <summary>Headers that carry a credential: as a counter key their values would be sent to the rate-limit service and kept as keys in its store.</summary>
    private static readonly string[] Credentials = ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"];

    /// <summary>Null when the name is usable; else what is wrong with it and the fix.</summary>
    public static string? Problem(string header)
    {
        if (header == WellKnown.ModelHeader)
        {
            return $"{Shown.Value(header)} is the header AI Gateway sets to the model id; a client header must name the client (e.g. {Default})";
        }

        if (Credentials.Contains(header.ToLowerInvariant()))
        {
            return $"{Shown.Value(header)} carries a credential: each client's key would be sent to the rate-limit service as a counter key; use a header your authentication sets to the client's id (e.g. {Default})";
        }

        if (!Pattern().IsMatch(header))
        {
            var lower = header.ToLowerInvariant();
            // Lowercased, a credential can lose the shape that withholds it: no hint then.
            var hint = lower != header && Pattern().IsMatch(lower) && !CredentialDetector.LooksLikeCredential(header) ? $"; write it in lowercase: {lower}" : $", e.g. {Default}";
            return $"{Shown.Value(header)} is not a usable header name: use 1 to 128 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit{hint}";
        }

        return null;
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9_.-]{0,126}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
