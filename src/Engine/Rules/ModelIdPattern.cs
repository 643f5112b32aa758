using System.Text;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// The RE2 pattern that matches exactly the given model ids (an alternation of escaped literals, sorted), for a header
/// match of type RegularExpression. Envoy matches such a header in full, so no anchors are needed; Envoy Gateway's
/// bootstrap lifts Envoy's program-size limit for regular expressions (<c>re2.max_program_size.error_level</c>), so a
/// long alternation is accepted; the CRD holds the value to 1,024 characters.
/// </summary>
public static class ModelIdPattern
{
    /// <summary>The characters RE2 gives a meaning to, escaped as Go's <c>regexp.QuoteMeta</c> does.</summary>
    private const string Special = @"\.+*?()|[]{}^$";

    public static string Of(IEnumerable<string> modelIds)
    {
        var sb = new StringBuilder();
        foreach (var id in modelIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append('|');
            }

            foreach (var c in id)
            {
                if (Special.Contains(c, StringComparison.Ordinal))
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
