using System.Text.Json.Nodes;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// Documents that put one string in every place the writer lays out differently: value and key of the root mapping,
/// of a nested mapping and of a mapping in a sequence, a sequence item, nested sequences, and the last value of a
/// document (where a literal block's trailing line breaks meet the next <c>---</c>).
/// </summary>
internal static class StringPlacements
{
    public static JsonObject Document(string s) => new()
    {
        ["value"] = s,
        [s] = "key",
        ["nested"] = new JsonObject { ["n"] = s, [s] = new JsonArray(s, s), ["after"] = 1 },
        ["list"] = new JsonArray(s, new JsonObject { [s] = s, ["z"] = new JsonArray(s) }, new JsonArray(s, new JsonArray(s)), new JsonObject()),
        ["empty"] = new JsonObject(),
        ["none"] = new JsonArray(),
        ["last"] = s,
    };
}
