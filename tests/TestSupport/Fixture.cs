namespace AiGatewayModels.TestSupport;

/// <summary>
/// Edits of test inputs that cannot pass silently: <see cref="Edit"/> fails when the text to replace is not there (a
/// fixture that no longer contains it would otherwise test the unedited input and pass). string.Replace is banned in
/// the tests (tests/BannedSymbols.txt); <see cref="ReplaceAll"/> is for escaping, where finding nothing is fine.
/// </summary>
public static class Fixture
{
    /// <summary>Replaces every occurrence of <paramref name="find"/>; throws when there is none.</summary>
    public static string Edit(this string text, string find, string replaceWith)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(find);
        if (!text.Contains(find, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the fixture does not contain the text to replace: \"{find}\"", nameof(find));
        }

#pragma warning disable RS0030 // the one place allowed to call string.Replace for a fixture: it has just checked the text is there
        return text.Replace(find, replaceWith, StringComparison.Ordinal);
#pragma warning restore RS0030
    }

    /// <summary>string.Replace for escaping and normalising (a backslash, a line feed), where an absent text is no mistake.</summary>
    public static string ReplaceAll(this string text, string find, string replaceWith)
    {
        ArgumentNullException.ThrowIfNull(text);
#pragma warning disable RS0030 // escaping: finding nothing is fine
        return text.Replace(find, replaceWith, StringComparison.Ordinal);
#pragma warning restore RS0030
    }
}
