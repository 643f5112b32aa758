using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>Reads JSON scalars whatever CLR value backs a <see cref="JsonValue"/> (parsed text, long, int, double...).</summary>
internal static class JsonScalars
{
    public static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static bool TryString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.TryGetValue(out string? text) ? text : v.GetValue<object>().ToString() ?? "";
            return true;
        }

        value = "";
        return false;
    }

    public static bool TryInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An integral number, also when written with a fraction or exponent that is zero (1.0, 1e3).</summary>
    public static bool IsIntegral(JsonNode? node) =>
        TryInteger(node, out _) || (TryNumber(node, out var d) && Math.Floor(d) == d && !double.IsInfinity(d));

    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryBool(JsonNode? node, out bool value)
    {
        var kind = Kind(node);
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>JSON equality where numbers compare by value (1 equals 1.0).</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        if (JsonScalars.TryNumber(a, out var x) && JsonScalars.TryNumber(b, out var y))
        {
            return x.Equals(y);
        }

        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>A short rendering of a value for an error message.</summary>
    public static string Show(JsonNode? node)
    {
        var text = node is null ? "null" : node.ToJsonString();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
