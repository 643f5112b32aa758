using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering.Emitter;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>
/// Writes manifests as a multi-document YAML stream. Keys keep their insertion order and strings that YAML would
/// read as another type are quoted, so the text is stable byte for byte and reads back as the same objects.
/// </summary>
/// <remarks>
/// The text is the text YamlDotNet's emitter wrote for these trees (the tests keep that emitter as an oracle), except
/// for a few unusual strings it wrote in a form that does not read back (see <c>ScalarStyleChoice</c>). A writer of our
/// own for this one shape, because YamlDotNet's general one was more than half of the time of <c>expander render</c>.
/// The output is Unicode text: YamlDotNet escaped characters that the writer's encoding could not represent, and
/// every caller writes UTF-8 or to a string.
/// </remarks>
public static class YamlWriter
{
    public static string Write(IEnumerable<JsonObject> documents)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        Write(documents, writer);
        return writer.ToString();
    }

    public static void Write(IEnumerable<JsonObject> documents, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new TextBuffer(output);
        var emitter = new BlockEmitter(buffer);
        foreach (var document in documents)
        {
            emitter.WriteDocument(document);
        }

        buffer.Flush();
    }
}
