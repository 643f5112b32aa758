using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Scans every value, under any key, for something that looks like a credential. Runs on the raw tree so that even
/// a key the binder rejects cannot carry a secret into the cluster unnoticed.
/// </summary>
public static class CredentialRules
{
    private const string Fix = "credentials never go into values; store the key in a Secret and reference it with backends.<name>.apiKeySecretRef {name, key} (or the secretRef of cloud credentials)";

    public static IReadOnlyList<Diagnostic> Check(YNode root)
    {
        var found = new List<Diagnostic>();
        Scan(root, new PathTrail(), found);
        return found;
    }

    /// <summary>
    /// Scans the values text itself, for credentials where no scalar holds them: comments, tags, anchor and alias names,
    /// directives, and text the YAML reader could not read. The ConfigMap would store them all the same. A piece that
    /// a key or value of <paramref name="root"/> holds is left to <see cref="Check"/>, which names its path.
    /// </summary>
    public static IReadOnlyList<Diagnostic> CheckText(string text, YNode? root) => CheckPieces(text, root, commentsOnly: false);

    /// <summary>
    /// <see cref="CheckText"/> for a text the block parser read verbatim: there, everything but the scalars (which
    /// <see cref="Check"/> scans) and YAML's punctuation is a comment, so only the text after each '#' is scanned.
    /// </summary>
    public static IReadOnlyList<Diagnostic> CheckComments(string text, YNode root) => CheckPieces(text, root, commentsOnly: true);

    private static List<Diagnostic> CheckPieces(string text, YNode? root, bool commentsOnly)
    {
        var start = NextPiece(text, 0, commentsOnly, out var end);
        if (start < 0)
        {
            return [];
        }

        HashSet<string>? inValues = null;
        var found = new List<Diagnostic>();
        var lastLine = 0;
        while (start >= 0 && found.Count < MaxTextFindings)
        {
            var piece = text.AsSpan(start, end - start);
            inValues ??= root is null ? [] : Collected(root);
            if (!IsInAValue(piece, inValues))
            {
                var line = LineOf(text, start);
                if (line != lastLine)
                {
                    found.Add(Diagnostic.Error(string.Empty, $"line {line}: what looks like a literal credential (withheld) is outside any value (a comment, tag, anchor, alias or text that is not YAML); remove it: the ConfigMap would keep it"));
                    lastLine = line;
                }
            }

            start = NextPiece(text, end, commentsOnly, out end);
        }

        return found;
    }

    private static int NextPiece(string text, int from, bool commentsOnly, out int end)
    {
        if (!commentsOnly)
        {
            return CredentialDetector.Find(text, from, out end);
        }

        // Every '#' is taken as the start of a comment: one inside a scalar only makes the scan longer, since a piece
        // that a value holds is left to Check. A search that resumes after a piece on a line with a '#' before it
        // resumes in that comment, so that a second credential after one that a value also holds is not missed.
        var lineStart = from == 0 ? 0 : text.LastIndexOf('\n', from - 1) + 1;
        var hash = text.AsSpan(lineStart, from - lineStart).Contains('#') ? from : text.IndexOf('#', from);
        for (; hash >= 0 && hash < text.Length; hash = text.IndexOf('#', hash + 1))
        {
            var lineEnd = text.IndexOf('\n', hash);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            // The text up to the line's end, so that the detector sees what precedes the comment as the full scan does.
            var start = CredentialDetector.Find(text.AsSpan(0, lineEnd), hash, out end);
            if (start >= 0)
            {
                return start;
            }

            hash = lineEnd;
        }

        end = -1;
        return -1;
    }

    /// <summary>Enough to point at the problem; a document full of keys needs no more than this many lines named.</summary>
    private const int MaxTextFindings = 20;

    private static bool IsInAValue(ReadOnlySpan<char> piece, HashSet<string> values)
    {
        // A block scalar's later lines are indented in the text and not in the value: its first line tells.
        var lineEnd = piece.IndexOf('\n');
        piece = lineEnd < 0 ? piece : piece[..lineEnd];
        foreach (var value in values)
        {
            if (value.AsSpan().Contains(piece, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static int LineOf(string text, int offset)
    {
        var line = 1;
        foreach (var c in text.AsSpan(0, offset))
        {
            line += c == '\n' ? 1 : 0;
        }

        return line;
    }

    private static HashSet<string> Collected(YNode root)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        Collect(root, secrets);
        return secrets;
    }

    /// <summary>
    /// The last line of defence: any key or value of the tree that looks like a credential is cut out of every message,
    /// whichever rule quoted it (a backend's key in "backend … is not used", say).
    /// </summary>
    public static IReadOnlyList<Diagnostic> Redact(IReadOnlyList<Diagnostic> diagnostics, YNode root)
    {
        if (diagnostics.Count == 0)
        {
            return diagnostics;
        }

        var secrets = Collected(root);
        if (secrets.Count == 0)
        {
            return diagnostics;
        }

        // Longest first, so that a secret containing another is cut whole; in any case, since hints lower-case names.
        var ordered = secrets.OrderByDescending(x => x.Length).ToList();
        return diagnostics.Select(d =>
        {
            var message = d.Message;
            foreach (var secret in ordered)
            {
                message = message.Replace(secret, "<withheld>", StringComparison.OrdinalIgnoreCase);
            }

            return message == d.Message ? d : d with { Message = message };
        }).ToList();
    }

    private static void Collect(YNode node, HashSet<string> secrets)
    {
        switch (node)
        {
            case YScalar s when CredentialDetector.LooksLikeCredential(s.Value):
                secrets.Add(s.Value);
                break;
            case YMapping m:
                foreach (var (key, value) in m.Entries)
                {
                    if (CredentialDetector.LooksLikeCredential(key.Value))
                    {
                        secrets.Add(key.Value);
                    }

                    Collect(value, secrets);
                }

                break;
            case YSequence seq:
                foreach (var item in seq.Items)
                {
                    Collect(item, secrets);
                }

                break;
        }
    }

    /// <summary>The blocks of cloud credentials, whose identifier fields (<see cref="IdentifierKeys"/>) hold public ids.</summary>
    private static readonly HashSet<string> CloudCredentialKeys = new(StringComparer.Ordinal) { "awsCredentials", "azureCredentials", "gcpCredentials" };

    /// <summary>
    /// Fields of the cloud credentials that name an account, an application or a place, never a secret: an Entra client or
    /// tenant GUID, an OAuth client ID (public by design, unlike its client secret, which is a Secret reference), a project,
    /// pool, provider, service account, audience, role or region. They look random by nature, so only a marked credential
    /// (<see cref="CredentialDetector.HoldsMarkedCredential"/>) counts there.
    /// </summary>
    private static readonly HashSet<string> IdentifierKeys = new(StringComparer.Ordinal)
    {
        "clientID", "tenantID", "projectName", "projectID", "region", "workloadIdentityPoolName", "workloadIdentityProviderName", "serviceAccountName",
        "aud", "awsRoleArn", "profile",
    };

    private static void Scan(YNode node, PathTrail trail, List<Diagnostic> found, string? key = null, bool inCloudCredentials = false)
    {
        switch (node)
        {
            case YScalar s when inCloudCredentials && key is not null && IdentifierKeys.Contains(key)
                ? CredentialDetector.HoldsMarkedCredential(s.Value)
                : CredentialDetector.LooksLikeCredential(s.Value):
                found.Add(Diagnostic.Error(trail.ToString(), "this value looks like a literal credential (withheld); " + Fix));
                break;
            case YMapping m:
                for (var i = 0; i < m.Entries.Count; i++)
                {
                    var (entryKey, value) = m.Entries[i];
                    trail.PushKey(entryKey.Value);
                    if (CredentialDetector.LooksLikeCredential(entryKey.Value))
                    {
                        found.Add(Diagnostic.Error(trail.ToString(), "this key looks like a literal credential (withheld); " + Fix));
                    }

                    Scan(value, trail, found, entryKey.Value, inCloudCredentials || CloudCredentialKeys.Contains(entryKey.Value));
                    trail.Pop();
                }

                break;
            case YSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    trail.PushIndex(i);
                    Scan(seq.Items[i], trail, found, key: null, inCloudCredentials);
                    trail.Pop();
                }

                break;
        }
    }
}
