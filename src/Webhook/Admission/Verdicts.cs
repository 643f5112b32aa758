using System.Globalization;
using System.Text;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>Builds AdmissionResponses: allow, deny, patch, and warnings the apiserver will accept.</summary>
internal static class Verdicts
{
    /// <summary>The apiserver drops warnings longer than this (and kubectl prints each on one line).</summary>
    public const int MaxWarningLength = 120;

    private const int MaxWarnings = 32;

    public static AdmissionResponse Allow(string uid, IReadOnlyList<string>? warnings = null) =>
        new() { Uid = uid, Allowed = true, Warnings = Warnings(warnings) };

    public static AdmissionResponse Deny(string uid, string message, int code = 403, IReadOnlyList<string>? warnings = null) =>
        new()
        {
            Uid = uid,
            Allowed = false,
            Status = new AdmissionStatus { Code = code, Message = message, Reason = code == 403 ? "Forbidden" : "BadRequest" },
            Warnings = Warnings(warnings),
        };

    public static AdmissionResponse Patch(string uid, byte[] patch, IReadOnlyList<string>? warnings = null) =>
        new() { Uid = uid, Allowed = true, Patch = patch, PatchType = "JSONPatch", Warnings = Warnings(warnings) };

    private static List<string>? Warnings(IReadOnlyList<string>? warnings)
    {
        if (warnings is null || warnings.Count == 0)
        {
            return null;
        }

        var list = warnings.Take(MaxWarnings).Select(Warning).ToList();
        if (warnings.Count > MaxWarnings)
        {
            list[^1] = Warning(string.Create(CultureInfo.InvariantCulture, $"{warnings.Count - MaxWarnings + 1} more warnings; run the CLI's validate to see them all"));
        }

        return list;
    }

    /// <summary>One printable line of at most <see cref="MaxWarningLength"/> characters, never cut inside a surrogate pair.</summary>
    public static string Warning(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxWarningLength));
        foreach (var rune in text.EnumerateRunes())
        {
            var r = Rune.IsControl(rune) ? new Rune(' ') : rune;
            if (sb.Length + r.Utf16SequenceLength > MaxWarningLength - 1)
            {
                // room for the ellipsis
                sb.Append('…');
                return sb.ToString();
            }

            sb.Append(r.ToString());
        }

        return sb.ToString();
    }
}
