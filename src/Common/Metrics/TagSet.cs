using System.Globalization;
using System.Text;

namespace AiGatewayModels.Common.Metrics;

/// <summary>
/// A measurement's labels as Prometheus writes them (<c>a="x",b="y"</c>, in the order the code passes them, values
/// escaped), which is also what tells one series from another.
/// </summary>
internal readonly record struct TagSet
{
    public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            Text = string.Empty;
            return;
        }

        var sb = new StringBuilder();
        foreach (var (key, value) in tags)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(key).Append("=\"");
            foreach (var c in Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                _ = c switch
                {
                    '\\' => sb.Append("\\\\"),
                    '"' => sb.Append("\\\""),
                    '\n' => sb.Append("\\n"),
                    _ => sb.Append(c),
                };
            }

            sb.Append('"');
        }

        Text = sb.ToString();
    }

    public string Text { get; }
}
