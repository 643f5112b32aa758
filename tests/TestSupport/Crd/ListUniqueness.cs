using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary><c>x-kubernetes-list-type: set</c> (unique scalars) and <c>map</c> (unique <c>x-kubernetes-list-map-keys</c>), and <c>uniqueItems</c>.</summary>
internal static class ListUniqueness
{
    public static void Check(JsonArray array, SchemaNode schema, string path, List<string> errors)
    {
        switch (schema.ListType)
        {
            case "set":
                ReportDuplicates(array, item => item?.ToJsonString() ?? "null", path, "duplicate value {0} in a list of type set", errors);
                break;
            case "map" when schema.ListMapKeys.Count > 0:
                ReportDuplicates(array, item => MapKey(item, schema.ListMapKeys), path, "duplicate entry for x-kubernetes-list-map-keys {0}", errors);
                break;
            default:
                if (schema.UniqueItems)
                {
                    ReportDuplicates(array, item => item?.ToJsonString() ?? "null", path, "duplicate item {0} (uniqueItems)", errors);
                }

                break;
        }
    }

    private static string MapKey(JsonNode? item, IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Select(k => item is JsonObject obj && obj.TryGetPropertyValue(k, out var v) ? $"{k}={JsonScalars.Show(v)}" : $"{k}=<unset>"));

    private static void ReportDuplicates(JsonArray array, Func<JsonNode?, string> identity, string path, string message, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var id = identity(array[i]);
            if (!seen.Add(id))
            {
                errors.Add($"{path}[{i}]: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, id));
            }
        }
    }
}
