using System.Text.Json;
using System.Text.Json.Nodes;
using Yaml11Typing = AiGatewayModels.Engine.Rendering.Emitter.Yaml11Typing;
using AiGatewayModels.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// The YAML writer as it was before it had an emitter of its own: YamlDotNet's <see cref="Emitter"/>, fed the events of
/// each tree. Kept, unchanged, as the oracle the equivalence tests hold <see cref="Engine.Rendering.YamlWriter"/> to.
/// </summary>
internal static class YamlDotNetOracleWriter
{
    public static string Write(IEnumerable<JsonObject> documents)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        Write(documents, writer);
        return writer.ToString();
    }

    public static void Write(IEnumerable<JsonObject> documents, TextWriter output)
    {
        var emitter = new Emitter(output, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: false));
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            WriteNode(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
    }

    private static void WriteNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    WriteString(emitter, key);
                    WriteNode(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray arr:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in arr)
                {
                    WriteNode(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        // A string that a YAML reader, 1.2 or 1.1, would type as something else must be quoted to stay a string.
        var plain = new YScalar(text, quoted: false, tag: null, 0, 0);
        var mustQuote = !ScalarTyping.IsString(plain) || Yaml11Typing.Retypes(text);

        // Multi-line text (values.yaml inside a ConfigMap) stays readable as a literal block.
        var style = mustQuote ? ScalarStyle.DoubleQuoted : text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: !mustQuote, isQuotedImplicit: true));
    }
}
