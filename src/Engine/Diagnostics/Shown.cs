using AiGatewayModels.Engine.Rules;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// The one way a user's value enters a message: quoted, shortened, and withheld whole when anything in it looks like a
/// credential (the text around a key, <c>?api-key=</c> say, tells too much), so that no error, log line or Event can
/// leak a key someone pasted into the wrong field.
/// </summary>
public static class Shown
{
    private const int MaxShownLength = 64;

    public const string WithheldValue = "<value withheld: it looks like a credential>";

    /// <summary>
    /// <see cref="Value"/> for a text made from the user's (lowercased, joined): withheld when any source looks like a
    /// credential, since lowercasing or joining can hide a credential's shape from the detector.
    /// </summary>
    public static string Derived(string value, params ReadOnlySpan<string?> sources)
    {
        foreach (var source in sources)
        {
            if (CredentialDetector.LooksLikeCredential(source))
            {
                return WithheldValue;
            }
        }

        return Value(value);
    }

    public static string Value(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        if (CredentialDetector.LooksLikeCredential(value))
        {
            return WithheldValue;
        }

        if (value.Length <= MaxShownLength)
        {
            return QuotedText.Quote(value);
        }

        var shortened = QuotedText.Quote(value.AsSpan(0, MaxShownLength));
        return string.Concat(shortened.AsSpan(0, shortened.Length - 1), "…\"");
    }
}
