using AiGatewayModels.Engine.Rules;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// The one gate that every finding's path and message pass, whatever wrote them: a rule, the binder, the YAML reader or
/// the YAML library under it, whose errors may quote a tag, an anchor or a scalar. <see cref="Diagnostic"/> cleans both
/// when it is made, so no text can reach the CLI's output, a denial, a log line or an Event without it. Rules still
/// quote user values with <see cref="Shown.Value"/> (which withholds a credential-shaped value whole); this gate is
/// what holds when something else quoted user text.
/// </summary>
public static class MessageGuard
{
    /// <summary>No finding needs more; longer text is user input that got through uncut.</summary>
    public const int MaxLength = 2048;

    /// <summary>Credential-shaped pieces withheld, invisible and control characters escaped, the length bounded.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = InvisibleText.Escape(CredentialDetector.Withhold(text));
        return cleaned.Length <= MaxLength ? cleaned : string.Concat(cleaned.AsSpan(0, MaxLength), "… (cut)");
    }
}
