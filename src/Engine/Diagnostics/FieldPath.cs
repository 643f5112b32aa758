using System.Globalization;
using AiGatewayModels.Engine.Rules;

namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// Builds paths the way users wrote their values: keys joined by dots, list indices in brackets.
/// A key that itself holds a dot or a slash (a label key, say) is written in brackets and quotes so the path stays
/// unambiguous, with quotes, backslashes and control characters escaped.
/// </summary>
public static class FieldPath
{
    private static readonly System.Buffers.SearchValues<char> NeedQuoting = System.Buffers.SearchValues.Create(". /[]\"");

    /// <summary>Stands in for a key that looks like a credential: a path is printed as often as a message.</summary>
    public const string WithheldKey = "[<withheld>]";

    /// <summary>Keys longer than this are shortened in paths, as values are in messages.</summary>
    private const int MaxKeyLength = 64;

    public static string Child(string parent, string key)
    {
        var withheld = CredentialDetector.LooksLikeCredential(key);
        var needsQuoting = withheld || key.Length is 0 or > MaxKeyLength || key.AsSpan().IndexOfAny(NeedQuoting) >= 0 || QuotedText.NeedsEscapes(key);
        var segment = withheld ? WithheldKey : needsQuoting ? "[" + Shown.Value(key) + "]" : key;
        if (parent.Length == 0)
        {
            return segment;
        }

        return needsQuoting ? parent + segment : parent + "." + segment;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
