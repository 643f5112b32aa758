using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Reads YAML (one or more documents) into System.Text.Json nodes, typing plain scalars by the YAML 1.2 core
/// schema (null, bool, int, float; everything else and every quoted or block scalar is a string).
/// </summary>
public static partial class YamlJson
{
    /// <summary>The mapping documents of a YAML stream, in order; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonObject> ReadObjects(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var objects = new List<JsonObject>();
        foreach (var document in stream.Documents)
        {
            if (ToJson(document.RootNode) is JsonObject obj)
            {
                objects.Add(obj);
            }
        }

        return objects;
    }

    public static IReadOnlyList<JsonObject> ReadObjectsFromFile(string path) => ReadObjects(File.ReadAllText(path));

    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new InvalidDataException($"non-scalar key at {key.Start}");
            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
