using System.Text.Json.Nodes;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>Terse builders for manifests; null members are left out, so optional fields stay absent rather than null.</summary>
internal static class Json
{
    public static JsonObject Obj(params (string Key, JsonNode? Value)[] members)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in members)
        {
            if (value is not null)
            {
                obj[key] = value;
            }
        }

        return obj;
    }

    public static JsonArray Arr(params JsonNode?[] items) => new(items);

    public static JsonArray Arr<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new(items.Select(map).ToArray());

    public static JsonNode? Str(string? value) => value is null ? null : JsonValue.Create(value);

    public static JsonNode Int(long value) => JsonValue.Create(value);

    public static JsonNode? Int(long? value) => value is null ? null : JsonValue.Create(value.Value);

    public static JsonObject StringMap(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in entries)
        {
            obj[key] = value;
        }

        return obj;
    }
}
