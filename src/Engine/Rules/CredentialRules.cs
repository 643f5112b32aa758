using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Scans every value, under any key, for something that looks like a credential. Runs on the raw tree so that even
/// a key the binder rejects cannot carry a secret into the cluster unnoticed.
/// </summary>
public static class CredentialRules
{
    private const string Fix = "credentials never go into values; store the key in a Secret and reference it with backends.<name>.apiKeySecretRef {name, key}";

    public static IEnumerable<Diagnostic> Check(YNode root)
    {
        var found = new List<Diagnostic>();
        Scan(root, string.Empty, found, 0);
        return found;
    }

    private static void Scan(YNode node, string path, List<Diagnostic> found, int depth)
    {
        switch (node)
        {
            case YScalar s when CredentialDetector.LooksLikeCredential(s.Value):
                found.Add(Diagnostic.Error(path, "this value looks like a literal credential (withheld); " + Fix));
                break;
            case YMapping m:
                foreach (var (key, value) in m.Entries)
                {
                    Scan(value, FieldPath.Child(path, key.Value), found, depth + 1);
                }

                break;
            case YSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    Scan(seq.Items[i], FieldPath.Index(path, i), found, depth + 1);
                }

                break;
        }
    }
}
