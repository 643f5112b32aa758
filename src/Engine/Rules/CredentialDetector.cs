using System.Buffers;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Recognises credentials pasted where a reference belongs: by the field's name (<c>apiKey</c>, <c>token</c>, …) and by
/// shape, anywhere inside a text, not only as the whole of it: a key after <c>?api-key=</c>, after <c>Bearer </c>, in a
/// URL's user info, inside a label key or after a space in a window. The shapes: provider key prefixes, <c>Basic</c>
/// credentials, private keys, JWTs, long hex, and long random-looking runs. It errs towards calling something a
/// credential (a withheld value in a message costs nothing, a leaked one does), but must not call model ids one:
/// tests hold it to a list of real model ids of every major provider.
/// </summary>
/// <remarks>
/// Written by hand, not taken from a library: no maintained secret-detection library for .NET is served to us, and
/// the well-known rule sets (gitleaks, detect-secrets) are Go and Python. The prefixes follow those rule sets. One
/// left-to-right pass over the text, without regular expressions, because every scalar of every values document and
/// every message goes through it.
/// </remarks>
public static class CredentialDetector
{
    /// <summary>What stands in for a credential-shaped piece of a message.</summary>
    public const string Placeholder = "<withheld>";

    // The shortest credential recognised: "sk-" and four characters.
    private const int MinLength = 7;

    // Random-looking runs shorter than this are not judged by shape: too many names and ids are that long.
    private const int MinOpaqueSegment = 20;

    private const int MinHexRun = 32;

    // Two random-looking pieces of at least this length in one run make a key cut by separators.
    private const int MinShortSegment = 8;

    private static readonly HashSet<string> CredentialFieldNames = new(StringComparer.Ordinal)
    {
        "apikey", "apikeysecret", "apikeyvalue", "key", "token", "apitoken", "accesstoken", "bearertoken", "password", "passwd",
        "secret", "secretkey", "clientsecret", "accesskey", "accesskeyid", "secretaccesskey", "credential", "credentials",
        "authorization", "auth",
    };

    /// <summary>Query and assignment names whose value is a credential (<c>?api-key=…</c>, <c>sig=…</c>), folded: lowercase, no '-', '_' or '.'.</summary>
    private static readonly HashSet<string> CredentialParameterNames = new(StringComparer.Ordinal)
    {
        "apikey", "xapikey", "key", "token", "accesstoken", "authtoken", "idtoken", "refreshtoken", "sessiontoken", "securitytoken",
        "secret", "clientsecret", "password", "passwd", "pwd", "pass", "sig", "signature", "auth", "authorization", "credential",
        "credentials", "accountkey", "sharedaccesskey", "sharedaccesssignature", "subscriptionkey", "ocpapimsubscriptionkey",
        "xgoogapikey", "awssecretaccesskey", "awssessiontoken", "xamzsecuritytoken", "xamzsignature", "xamzcredential", "privatekey",
        "apisecret", "secretkey", "accesskey", "apitoken",
    };

    /// <summary>Fixed prefixes of provider keys and tokens, with the fewest characters that must follow.</summary>
    private static readonly (string Prefix, int MinTail)[] Prefixes =
    [
        ("sk_live_", 8), ("sk_test_", 8), ("rk_live_", 8), ("rk_test_", 8), ("whsec_", 16),        // Stripe
        ("AIza", 30), ("ya29.", 20), ("GOCSPX-", 16),                                             // Google
        ("ghp_", 20), ("gho_", 20), ("ghu_", 20), ("ghs_", 20), ("ghr_", 20), ("github_pat_", 20), // GitHub
        ("glpat-", 16), ("glptt-", 16), ("gldt-", 16), ("glrt-", 16),                              // GitLab
        ("xoxa-", 8), ("xoxb-", 8), ("xoxp-", 8), ("xoxr-", 8), ("xoxs-", 8), ("xoxe-", 8), ("xapp-", 8), // Slack
        ("hf_", 30), ("gsk_", 20), ("xai-", 20), ("r8_", 20), ("pplx-", 20), ("nvapi-", 20), ("csk-", 20), ("fw_", 20), // AI providers
        ("tvly-", 16), ("pcsk_", 16), ("lsv2_", 16), ("sk-lf-", 8), ("pk-lf-", 8),
        ("npm_", 30), ("pypi-", 30), ("dckr_pat_", 16), ("shpat_", 16), ("shpss_", 16), ("dop_v1_", 32), ("hvs.", 20), ("hvb.", 20),
        ("glc_", 20), ("lin_api_", 20), ("ntn_", 20), ("secret_", 30), ("SG.", 20), ("ATATT3", 20), ("ops_eyJ", 16), ("LTAI", 12),
        ("AGE-SECRET-KEY-1", 16), ("sq0atp-", 16), ("sq0csp-", 16),
    ];

    /// <summary>AWS access key ids: one of these and 16 capitals or digits.</summary>
    private static readonly string[] AwsKeyIdPrefixes = ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA"];

    /// <summary>The prefixes by their first character, so that a candidate is checked against two or three, not all of them.</summary>
    private static readonly (string Prefix, int MinTail)[][] PrefixesByStart = IndexPrefixes();

    /// <summary>The first characters of every anchored credential: prefixes, AWS key ids, sk-, Bearer, Basic, JWTs, PEM blocks.</summary>
    private static readonly bool[] IsAnchorStart = Enumerable.Range(0, 128)
        .Select(c => Prefixes.Any(p => p.Prefix[0] == c) || "AsBbe-".Contains((char)c, StringComparison.Ordinal)).ToArray();

    /// <summary>The first two characters of the same, as one table: most word starts fail here, before any comparison.</summary>
    private static readonly bool[] IsAnchorPair = AnchorPairs();

    private static readonly bool[] IsWordTable = Enumerable.Range(0, 128).Select(c => char.IsAsciiLetterOrDigit((char)c) || c == '_').ToArray();

    private static readonly SearchValues<char> Vowels = SearchValues.Create("aeiouyAEIOUY");

    private static readonly bool[] IsRunCharacter = Enumerable.Range(0, 128)
        .Select(c => char.IsAsciiLetterOrDigit((char)c) || "_+/=-".Contains((char)c, StringComparison.Ordinal)).ToArray();

    /// <summary>True when a field of this name (outside the known schema) would hold a literal credential.</summary>
    public static bool IsCredentialFieldName(string name) => CredentialFieldNames.Contains(Fold(name));

    /// <summary>True when <paramref name="text"/> holds something credential-shaped anywhere in it.</summary>
    public static bool LooksLikeCredential(ReadOnlySpan<char> text) => text.Length >= MinLength && Next(text, 0, out _) >= 0;

    /// <inheritdoc cref="LooksLikeCredential(ReadOnlySpan{char})"/>
    public static bool LooksLikeCredential(string? text) => text is not null && LooksLikeCredential(text.AsSpan());

    /// <summary>
    /// True when <paramref name="text"/> holds a credential marked as one: a provider prefix, <c>Bearer</c> or <c>Basic</c>,
    /// a JWT or PEM block, a credential parameter or URL user info; a run that merely looks random does not count. For
    /// fields whose values are public identifiers that look random by nature (an Entra tenant's GUID, an OAuth client ID):
    /// a key pasted there by mistake still carries its mark.
    /// </summary>
    public static bool HoldsMarkedCredential(ReadOnlySpan<char> text) => text.Length >= MinLength && Next(text, 0, out _, randomRuns: false) >= 0;

    /// <summary>The first credential-shaped piece of <paramref name="text"/> at or after <paramref name="from"/>: its start (or -1) and end.</summary>
    public static int Find(ReadOnlySpan<char> text, int from, out int end)
    {
        end = from;
        return text.Length >= MinLength ? Next(text, from, out end) : -1;
    }

    /// <summary><paramref name="text"/> with every credential-shaped piece replaced by <see cref="Placeholder"/>.</summary>
    public static string Withhold(string text)
    {
        var start = Find(text, 0, out var end);
        if (start < 0)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        while (start >= 0)
        {
            sb.Append(text, copied, start - copied).Append(Placeholder);
            copied = end;
            start = Find(text, end, out end);
        }

        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// The first credential at or after <paramref name="from"/>: the earliest of four searches, each of which jumps
    /// from candidate to candidate with vectorised searches (a known prefix, an '=', an '@', a long run of token
    /// characters), so that ordinary text costs little more than reading it once.
    /// </summary>
    private static int Next(ReadOnlySpan<char> text, int from, out int end, bool randomRuns = true)
    {
        var start = -1;
        end = -1;
        Earliest(FirstAnchored(text, from, out var anchoredEnd), anchoredEnd, ref start, ref end);
        Earliest(FirstAssignment(text, from, out var assignmentEnd), assignmentEnd, ref start, ref end);
        Earliest(FirstUserInfo(text, from, out var userInfoEnd), userInfoEnd, ref start, ref end);
        if (randomRuns && text.Length - from >= MinOpaqueSegment)
        {
            Earliest(FirstRandomRun(text, from, out var runEnd), runEnd, ref start, ref end);
        }

        return start;
    }

    private static void Earliest(int candidate, int candidateEnd, ref int start, ref int end)
    {
        if (candidate >= 0 && (start < 0 || candidate < start))
        {
            start = candidate;
            end = candidateEnd;
        }
    }

    /// <summary>Word starts whose first character can begin a prefix, in one tight loop over the text.</summary>
    private static int FirstAnchored(ReadOnlySpan<char> text, int from, out int end)
    {
        var previousIsWord = from > 0 && IsWordCharacter(text[from - 1]);
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            var isWord = c < 128 && IsWordTable[c];
            if (!previousIsWord && c < 128 && IsAnchorStart[c] && i + 1 < text.Length && text[i + 1] < 128
                && IsAnchorPair[(c * 128) + text[i + 1]] && (end = Anchored(text, i)) > i)
            {
                return i;
            }

            previousIsWord = isWord;
        }

        end = -1;
        return -1;
    }

    private static int FirstAssignment(ReadOnlySpan<char> text, int from, out int end)
    {
        for (var i = from; i < text.Length; i++)
        {
            var next = text[i..].IndexOf('=');
            if (next < 0)
            {
                break;
            }

            i += next;
            if (Assignment(text, i, out end) is var name and >= 0 && name >= from)
            {
                return name;
            }
        }

        end = -1;
        return -1;
    }

    private static int FirstUserInfo(ReadOnlySpan<char> text, int from, out int end)
    {
        for (var i = from; i < text.Length; i++)
        {
            var next = text[i..].IndexOf('@');
            if (next < 0)
            {
                break;
            }

            i += next;
            if (UserInfoStart(text, i) is >= 0 and var userInfo && userInfo >= from)
            {
                end = i;
                return userInfo;
            }
        }

        end = -1;
        return -1;
    }

    /// <summary>Runs shorter than <see cref="MinOpaqueSegment"/> are most of any text: counted in one tight loop, not searched for.</summary>
    private static int FirstRandomRun(ReadOnlySpan<char> text, int from, out int end)
    {
        var runStart = from;
        for (var i = from; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] < 128 && IsRunCharacter[text[i]])
            {
                continue;
            }

            if (i - runStart >= MinOpaqueSegment && IsRandomRun(text, runStart, i))
            {
                end = i;
                return runStart;
            }

            runStart = i + 1;
        }

        end = -1;
        return -1;
    }

    /// <summary>A credential that starts at a word start <paramref name="i"/>: its end, or <paramref name="i"/> when there is none.</summary>
    private static int Anchored(ReadOnlySpan<char> text, int i)
    {
        var rest = text[i..];
        switch (rest[0])
        {
            case 's' when rest.StartsWith("sk-"):
                return OpenAiStyleKey(text, i);
            case 'B' or 'b' when rest.StartsWith("bearer", StringComparison.OrdinalIgnoreCase):
                return BearerToken(text, i, "bearer".Length);
            case 'B' or 'b' when rest.StartsWith("basic", StringComparison.OrdinalIgnoreCase):
                return BasicCredentials(text, i, "basic".Length);
            case 'e' when rest.StartsWith("eyJ"):
                return Tail(text, i + 3, "-_.") is var jwtEnd && jwtEnd - i >= 20 ? jwtEnd : i;
            case '-' when rest.StartsWith("-----BEGIN"):
                return PemBlock(text, i);
            case 'A' when AwsKeyId(rest):
                return i + 20;
        }

        foreach (var (prefix, minTail) in rest[0] < 128 ? PrefixesByStart[rest[0]] : [])
        {
            if (rest.StartsWith(prefix, StringComparison.Ordinal))
            {
                var tailEnd = Tail(text, i + prefix.Length, "-_.");
                if (tailEnd - i - prefix.Length >= minTail)
                {
                    return tailEnd;
                }
            }
        }

        return i;
    }

    private static bool[] AnchorPairs()
    {
        var pairs = new bool[128 * 128];
        string[] starts = [.. Prefixes.Select(p => p.Prefix), .. AwsKeyIdPrefixes, "sk-", "Be", "be", "BE", "bE", "Ba", "ba", "BA", "bA", "eyJ", "--"];
        foreach (var start in starts)
        {
            pairs[(start[0] * 128) + start[1]] = true;
        }

        return pairs;
    }

    private static (string Prefix, int MinTail)[][] IndexPrefixes()
    {
        var index = new (string Prefix, int MinTail)[128][];
        for (var c = 0; c < 128; c++)
        {
            index[c] = Prefixes.Where(p => p.Prefix[0] == c).ToArray();
        }

        return index;
    }

    /// <summary>
    /// <c>sk-</c> keys (OpenAI, Anthropic's <c>sk-ant-</c>, DeepSeek, OpenRouter's <c>sk-or-</c>, LiteLLM's short keys such as
    /// <c>sk-1234</c>): at least four characters after the dash, with a digit or a capital, which words such as
    /// <c>sk-short</c> lack.
    /// </summary>
    private static int OpenAiStyleKey(ReadOnlySpan<char> text, int i)
    {
        var tailEnd = Tail(text, i + 3, "-_");
        var tail = text[(i + 3)..tailEnd];
        var alphanumerics = 0;
        var marked = false;
        foreach (var c in tail)
        {
            alphanumerics += char.IsAsciiLetterOrDigit(c) ? 1 : 0;
            marked |= char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c);
        }

        return alphanumerics >= 4 && (marked || alphanumerics >= 16) ? tailEnd : i;
    }

    /// <summary><c>Bearer</c>, spaces, and a token: eight characters with a digit or other mark, or sixteen of any kind.</summary>
    private static int BearerToken(ReadOnlySpan<char> text, int i, int word)
    {
        var at = SkipBlanks(text, i + word);
        if (at == i + word)
        {
            return i;
        }

        var tokenEnd = Tail(text, at, "-_.~+/=");
        var token = text[at..tokenEnd];
        var marked = token.ContainsAnyExcept(SearchValuesLetters.Letters);
        return token.Length >= 16 || (token.Length >= 8 && marked) ? tokenEnd : i;
    }

    /// <summary><c>Basic</c>, spaces, and base64 of <c>user:password</c>: decoded, so that <c>Basic information</c> is not one.</summary>
    private static int BasicCredentials(ReadOnlySpan<char> text, int i, int word)
    {
        var at = SkipBlanks(text, i + word);
        if (at == i + word)
        {
            return i;
        }

        var tokenEnd = Tail(text, at, "+/=-_");
        var token = text[at..tokenEnd];
        if (token.Length < 6 || token.Length > 4096)
        {
            return i;
        }

        Span<char> padded = stackalloc char[token.Length + 3];
        token.CopyTo(padded);
        var length = token.Length;
        while (length % 4 != 0)
        {
            padded[length++] = '=';
        }

        for (var k = 0; k < length; k++)
        {
            padded[k] = padded[k] switch { '-' => '+', '_' => '/', var other => other };
        }

        Span<byte> decoded = stackalloc byte[length];
        if (!Convert.TryFromBase64Chars(padded[..length], decoded, out var written))
        {
            return i;
        }

        var colon = decoded[..written].IndexOf((byte)':');
        return colon > 0 && !decoded[..written].ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) ? tokenEnd : i;
    }

    /// <summary>
    /// A PEM block up to its END line; without one, its header and the base64 that follows on the same line: in a
    /// values text the rest (a closing quote and brace, the next keys) is not the key's, and later base64 lines are
    /// long random runs that are found on their own.
    /// </summary>
    private static int PemBlock(ReadOnlySpan<char> text, int i)
    {
        var endMarker = text[i..].IndexOf("-----END", StringComparison.Ordinal);
        if (endMarker < 0)
        {
            var lineEnd = text[i..].IndexOfAny('\n', '\r') is var newline and >= 0 ? i + newline : text.Length;
            var headerStart = i + "-----BEGIN".Length;
            var headerClose = text[headerStart..lineEnd].IndexOf("-----", StringComparison.Ordinal);
            return headerClose < 0 ? lineEnd : Tail(text, headerStart + headerClose + 5, "+/=");
        }

        var afterEnd = i + endMarker + "-----END".Length;
        var close = text[afterEnd..].IndexOf("-----", StringComparison.Ordinal);
        return close < 0 ? text.Length : afterEnd + close + 5;
    }

    private static bool AwsKeyId(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 20 || (rest.Length > 20 && IsWordCharacter(rest[20])))
        {
            return false;
        }

        foreach (var prefix in AwsKeyIdPrefixes)
        {
            if (rest.StartsWith(prefix, StringComparison.Ordinal))
            {
                foreach (var c in rest[4..20])
                {
                    if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For an '=' at <paramref name="equals"/>: where <c>api-key=…</c>, <c>sig=…</c> or <c>password=…</c> starts (a
    /// credential parameter's name, '=', and a value of three or more characters), or -1.
    /// </summary>
    private static int Assignment(ReadOnlySpan<char> text, int equals, out int end)
    {
        end = -1;
        var nameStart = equals;
        while (nameStart > 0 && equals - nameStart < 40 && (IsWordCharacter(text[nameStart - 1]) || text[nameStart - 1] is '-' or '.'))
        {
            nameStart--;
        }

        if (nameStart == equals)
        {
            return -1;
        }

        Span<char> folded = stackalloc char[equals - nameStart];
        var n = 0;
        foreach (var c in text[nameStart..equals])
        {
            if (c is not ('-' or '_' or '.'))
            {
                folded[n++] = char.ToLowerInvariant(c);
            }
        }

        var lookup = CredentialParameterNames.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.Contains(folded[..n]))
        {
            return -1;
        }

        var valueEnd = equals + 1;
        while (valueEnd < text.Length && !char.IsWhiteSpace(text[valueEnd]) && text[valueEnd] is not ('&' or ';' or '#' or '"' or '\'' or ',' or '<' or '>'))
        {
            valueEnd++;
        }

        if (valueEnd - equals - 1 < 3)
        {
            return -1;
        }

        end = valueEnd;
        return nameStart;
    }

    /// <summary>
    /// For an '@' at <paramref name="at"/>: where the user info of <c>user:password@host</c> starts, when the part before
    /// the '@' holds a password (a ':' with something on both sides) or, after a scheme, a long token
    /// (<c>https://TOKEN@host</c>); else -1. E-mail addresses and <c>model@version</c> ids have neither.
    /// </summary>
    private static int UserInfoStart(ReadOnlySpan<char> text, int at)
    {
        var start = at;
        var colon = -1;
        while (start > 0 && IsUserInfoCharacter(text[start - 1]))
        {
            start--;
            colon = text[start] == ':' ? start : colon;
        }

        if (colon > start && colon < at - 1)
        {
            return start;
        }

        var afterScheme = start >= 3 && text[(start - 3)..start].SequenceEqual("://");
        return afterScheme && at - start >= 16 ? start : -1;
    }

    private static bool IsUserInfoCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '%' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':';

    /// <summary>
    /// Whether a run of token characters holds a random-looking stretch: 32 or more hex digits, a long segment that looks
    /// random, or a long run that does once its separators are dropped (base64url cuts keys at '-' and '_').
    /// </summary>
    private static bool IsRandomRun(ReadOnlySpan<char> text, int start, int end)
    {
        var run = text[start..end];
        var segmentStart = 0;
        var randomSegments = 0;
        for (var k = 0; k <= run.Length; k++)
        {
            if (k < run.Length && char.IsAsciiLetterOrDigit(run[k]))
            {
                continue;
            }

            var segment = run[segmentStart..k];
            if (segment.Length >= MinShortSegment && !IsFineTuneJobId(text, start + segmentStart))
            {
                if (segment.Length >= MinOpaqueSegment
                    && (IsLongHex(segment) || LooksRandom(segment)))
                {
                    return true;
                }

                // base64url cuts keys at '-' and '_' into pieces that are each random; model ids are words between separators.
                randomSegments += LooksRandom(segment) ? 1 : 0;
                if (randomSegments >= 2)
                {
                    return true;
                }
            }

            segmentStart = k + 1;
        }

        return run.Length >= 32 && run.ContainsAny('/', '+') && LooksLikeBase64(run);
    }

    /// <summary>Standard base64 (AWS secret access keys) with '/' and '+' at random: three classes, high entropy, and not words between separators.</summary>
    private static bool LooksLikeBase64(ReadOnlySpan<char> run)
    {
        bool upper = false, lower = false, digit = false;
        int separators = 0, segment = 0, longest = 0;
        foreach (var c in run)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
            if (c is '-' or '_' or '/')
            {
                separators++;
                segment = 0;
            }
            else
            {
                longest = Math.Max(longest, ++segment);
            }
        }

        var wordStructured = separators >= 3 && longest < 16;
        return upper && lower && digit && !wordStructured && Entropy(run) >= 4.0;
    }

    /// <summary>32 or more hex digits, with digits and letters both (a run of one letter is no key).</summary>
    private static bool IsLongHex(ReadOnlySpan<char> segment) =>
        segment.Length >= MinHexRun && !segment.ContainsAnyExcept(SearchValuesLetters.Hex) && segment.ContainsAnyInRange('0', '9')
        && segment.ContainsAnyExceptInRange('0', '9');

    /// <summary>Azure OpenAI's fine-tuned model ids end in <c>.ft-</c> and a 32-digit hex job id: a model id, not a key.</summary>
    private static bool IsFineTuneJobId(ReadOnlySpan<char> text, int segmentStart) =>
        segmentStart >= 3 && text[(segmentStart - 3)..segmentStart] is var before
        && (before.Equals("ft-", StringComparison.OrdinalIgnoreCase) || before.Equals("ft:", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Random text against text made of words (<c>DeepSeekCoderV2Instruct</c>, <c>llama31nemotron70binstruct</c>): random
    /// text switches between capitals, small letters and digits every two or three characters, has few vowels and long
    /// runs of consonants, and spreads over many distinct characters. Words switch every four or more, and are
    /// pronounceable.
    /// </summary>
    private static bool LooksRandom(ReadOnlySpan<char> segment)
    {
        int upper = 0, lower = 0, digit = 0, words = 1, vowels = 0, consonantRun = 0, longestConsonantRun = 0;
        for (var k = 0; k < segment.Length; k++)
        {
            var c = segment[k];
            upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
            lower += char.IsAsciiLetterLower(c) ? 1 : 0;
            digit += char.IsAsciiDigit(c) ? 1 : 0;
            if (k > 0 && ClassOf(segment[k - 1]) != ClassOf(c) && !(char.IsAsciiLetterUpper(segment[k - 1]) && char.IsAsciiLetterLower(c)))
            {
                words++;
            }

            if (!char.IsAsciiLetter(c))
            {
                consonantRun = 0;
            }
            else if (Vowels.Contains(c))
            {
                vowels++;
                consonantRun = 0;
            }
            else
            {
                longestConsonantRun = Math.Max(longestConsonantRun, ++consonantRun);
            }
        }

        var letters = upper + lower;
        var classes = (upper > 0 ? 1 : 0) + (lower > 0 ? 1 : 0) + (digit > 0 ? 1 : 0);
        if (classes < 2 || segment.Length < MinShortSegment)
        {
            return false;
        }

        // Entropy as a share of the most that this many characters of these classes can have: short pieces cannot reach
        // the bits of long ones, nor small letters and digits those of all three classes.
        var alphabet = (upper > 0 ? 26 : 0) + (lower > 0 ? 26 : 0) + (digit > 0 ? 10 : 0);
        var evenness = Entropy(segment) / Math.Log2(Math.Min(segment.Length, alphabet));
        var unpronounceable = letters > 0 && (vowels * 10 < letters * 3 || longestConsonantRun >= 5);
        if (digit > 0)
        {
            return (segment.Length < 3 * words && evenness >= 0.75) || (segment.Length < 4 * words && evenness >= 0.85)
                || (segment.Length < 6 * words && evenness >= 0.8 && unpronounceable);
        }

        // Letters only: capitals as often as small letters, and unpronounceable; CamelCase words capitalise one letter in five.
        return upper * 10 >= letters * 3 && lower * 10 >= letters * 3 && evenness >= 0.85 && unpronounceable;
    }

    private static int ClassOf(char c) => char.IsAsciiDigit(c) ? 0 : char.IsAsciiLetterUpper(c) ? 1 : 2;

    private static double Entropy(ReadOnlySpan<char> value)
    {
        Span<int> counts = stackalloc int[128];
        foreach (var c in value)
        {
            if (c < 128)
            {
                counts[c]++;
            }
        }

        double entropy = 0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / value.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    /// <summary>The end of the letters, digits and <paramref name="extra"/> characters from <paramref name="from"/>.</summary>
    private static int Tail(ReadOnlySpan<char> text, int from, string extra)
    {
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || extra.Contains(text[end], StringComparison.Ordinal)))
        {
            end++;
        }

        return end;
    }

    private static int SkipBlanks(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length && text[from] is ' ' or '\t')
        {
            from++;
        }

        return from;
    }

    private static bool IsWordCharacter(char c) => c < 128 && IsWordTable[c];

    private static string Fold(string name) =>
        name.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static class SearchValuesLetters
    {
        public static readonly SearchValues<char> Letters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

        public static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    }
}
