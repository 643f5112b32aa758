using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>Does YAML text read back as the trees it was written from: with YamlDotNet's loader, and with the engine's reader?</summary>
internal static class YamlTreeComparison
{
    /// <summary>Null when <paramref name="yaml"/> reads back (YamlDotNet's representation model) as <paramref name="documents"/>, else why not.</summary>
    public static string? YamlDotNetDifference(string yaml, IReadOnlyList<JsonObject> documents)
    {
        IReadOnlyList<JsonObject> read;
        try
        {
            read = YamlJson.ReadObjects(yaml);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return "YamlDotNet could not read it: " + ex.Message;
        }

        if (read.Count != documents.Count)
        {
            return $"YamlDotNet read {read.Count} mapping documents, not {documents.Count}";
        }

        for (var i = 0; i < read.Count; i++)
        {
            if (!JsonNode.DeepEquals(read[i], documents[i]))
            {
                return $"YamlDotNet read document {i} as {read[i].ToJsonString()}";
            }
        }

        return null;
    }

    /// <summary>Null when the engine's <see cref="BoundedYamlReader"/> reads the one document in <paramref name="yaml"/> as <paramref name="document"/>.</summary>
    public static string? EngineReaderDifference(string yaml, JsonObject document)
    {
        var limits = YamlLimits.Default with { MaxBytes = int.MaxValue };
        var read = BoundedYamlReader.Read(yaml, "the output", limits);
        return read.Ok ? Difference(read.Root!, document, "(root)") : "the engine's reader refused it: " + string.Join("; ", read.Diagnostics);
    }

    private static string? Difference(YNode node, JsonNode? expected, string path)
    {
        switch (node, expected)
        {
            case (YMapping m, JsonObject o):
                if (m.Entries.Count != o.Count)
                {
                    return $"{path}: {m.Entries.Count} keys, not {o.Count}";
                }

                for (var i = 0; i < o.Count; i++)
                {
                    var (key, value) = o.GetAt(i);
                    var entry = m.Entries[i];
                    if (entry.Key.Value != key || !ScalarTyping.IsString(entry.Key))
                    {
                        return $"{path}: key {i} read as {Show(entry.Key.Value)} ({entry.Key.KindName}), not {Show(key)}";
                    }

                    if (Difference(entry.Value, value, path + "." + key) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (YSequence q, JsonArray a):
                if (q.Items.Count != a.Count)
                {
                    return $"{path}: {q.Items.Count} items, not {a.Count}";
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (Difference(q.Items[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (YScalar s, null):
                return ScalarTyping.IsNull(s) ? null : $"{path}: {Show(s.Value)} is not null";
            case (YScalar s, JsonValue v) when v.TryGetValue(out string? text):
                return s.Value == text && ScalarTyping.IsString(s) ? null : $"{path}: read {Show(s.Value)} ({s.KindName}), not the string {Show(text)}";
            case (YScalar s, JsonValue v) when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                return ScalarTyping.TryInteger(s, out var integer) && integer.ToString(System.Globalization.CultureInfo.InvariantCulture) == v.ToJsonString()
                    ? null
                    : $"{path}: read {Show(s.Value)}, not {v.ToJsonString()}";
            case (YScalar s, JsonValue v) when v.TryGetValue(out bool flag):
                return ScalarTyping.TryBool(s, out var boolean) && boolean == flag ? null : $"{path}: read {Show(s.Value)}, not {flag}";
            default:
                return $"{path}: read {node.KindName} for {expected?.ToJsonString() ?? "null"}";
        }
    }

    public static string Show(string? text) => System.Text.Json.JsonSerializer.Serialize(text);
}
