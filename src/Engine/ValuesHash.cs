using System.Security.Cryptography;
using System.Text;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine;

/// <summary>
/// A hash of the values' meaning, not their text: key order, comments, quoting style and aliases do not change it.
/// Lets the webhook and the expander tell a real change from a reformatting.
/// </summary>
public static class ValuesHash
{
    public static string Compute(YNode root)
    {
        var canonical = new StringBuilder();
        Write(root, canonical);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static void Write(YNode node, StringBuilder sb)
    {
        switch (node)
        {
            case YScalar s:
                // Type is part of the meaning: "1" and 1 are different values.
                sb.Append(s.Quoted ? 's' : 'p').Append(s.Value.Length).Append(':').Append(s.Value);
                break;
            case YSequence seq:
                sb.Append('[');
                foreach (var item in seq.Items)
                {
                    Write(item, sb);
                }

                sb.Append(']');
                break;
            case YMapping m:
                sb.Append('{');
                foreach (var (key, value) in m.Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal))
                {
                    sb.Append(key.Value.Length).Append(':').Append(key.Value);
                    Write(value, sb);
                }

                sb.Append('}');
                break;
        }
    }
}
