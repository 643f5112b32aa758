using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Rendering.Emitter;

/// <summary>
/// Writes <see cref="JsonObject"/> documents as block YAML. The layout repeats YamlDotNet's emitter for the events
/// the old writer sent (2-space indentation, sequences not indented under their key, empty collections as
/// <c>{}</c> and <c>[]</c>, long or multi-line keys after <c>?</c>), including its bookkeeping of the column and of
/// whether the line holds only indentation, because that is what decides between a line break and a space. The rule
/// to keep (README.md here): decline what you do not fully understand; oracle tests hold the output to YamlDotNet's.
/// </summary>
internal sealed class BlockEmitter(TextBuffer output)
{
    private const int Indent = 2;

    // YamlDotNet writes a key longer than this after "? " instead of before ": ".
    private const int MaxSimpleKeyLength = 1024;

    private bool isWhitespace = true;
    private bool isIndentation = true;

    public void WriteDocument(JsonObject document)
    {
        WriteIndent(0);
        WriteIndicator("---", needWhitespace: true, whitespace: false, indentation: false);
        WriteNode(document, parentIndent: -1, isMappingValue: false);
        WriteIndent(0);
    }

    private void WriteNode(JsonNode? node, int parentIndent, bool isMappingValue)
    {
        switch (node)
        {
            case JsonObject { Count: 0 }:
                WriteIndicator("{", needWhitespace: true, whitespace: true, indentation: false);
                WriteIndicator("}", needWhitespace: false, whitespace: false, indentation: false);
                break;
            case JsonObject obj:
                WriteMapping(obj, parentIndent < 0 ? 0 : parentIndent + Indent);
                break;
            case JsonArray { Count: 0 }:
                WriteIndicator("[", needWhitespace: true, whitespace: true, indentation: false);
                WriteIndicator("]", needWhitespace: false, whitespace: false, indentation: false);
                break;
            case JsonArray arr:
                // Under a key the dashes line up with the key; nested in a sequence or after "? " they are indented.
                var indentless = isMappingValue && !isIndentation;
                WriteSequence(arr, parentIndent < 0 ? 0 : indentless ? parentIndent : parentIndent + Indent);
                break;
            case JsonValue value when value.TryGetValue(out string? text) && text is not null:
                WriteString(text, parentIndent);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                // Not a string inside (a Guid, say): fails the way the YamlDotNet writer failed.
                WriteString(value.GetValue<string>(), parentIndent);
                break;
            case JsonValue value:
                WriteOther(value, parentIndent);
                break;
            default:
                WriteScalar("null", ScalarStyle.Plain, parentIndent);
                break;
        }
    }

    private void WriteMapping(JsonObject obj, int indent)
    {
        for (var i = 0; i < obj.Count; i++)
        {
            var (key, value) = obj.GetAt(i);
            WriteIndent(indent);
            var analysis = ScalarAnalysis.Of(key);
            var style = StringStyle(key, analysis, isSimpleKey: true);
            if (!analysis.IsMultiline && key.Length <= MaxSimpleKeyLength && WrittenLength(key, style) <= MaxSimpleKeyLength)
            {
                WriteScalar(key, style, indent);
                WriteIndicator(":", needWhitespace: false, whitespace: false, indentation: false);
            }
            else
            {
                // YamlDotNet only measured the key's own text; the quotes and escapes count too for a reader.
                WriteIndicator("?", needWhitespace: true, whitespace: false, indentation: true);
                WriteScalar(key, StringStyle(key, analysis, isSimpleKey: false), indent);
                WriteIndent(indent);
                WriteIndicator(":", needWhitespace: true, whitespace: false, indentation: true);
            }

            WriteNode(value, indent, isMappingValue: true);
        }
    }

    private void WriteSequence(JsonArray arr, int indent)
    {
        for (var i = 0; i < arr.Count; i++)
        {
            WriteIndent(indent);
            WriteIndicator("-", needWhitespace: true, whitespace: false, indentation: true);
            WriteNode(arr[i], indent, isMappingValue: false);
        }
    }

    private void WriteString(string text, int parentIndent) =>
        WriteScalar(text, StringStyle(text, ScalarAnalysis.Of(text), isSimpleKey: false), parentIndent);

    private static ScalarStyle StringStyle(string text, in ScalarAnalysis analysis, bool isSimpleKey)
    {
        // A string that a YAML reader, 1.2 or 1.1 (kubectl, Helm), would type as a number, boolean, null, timestamp or
        // merge key must be quoted to stay a string; multi-line text (values.yaml inside a ConfigMap) stays readable
        // as a literal block.
        var requested = !ScalarTyping.IsPlainString(text) || Yaml11Typing.Retypes(text) ? RequestedStyle.DoubleQuoted
            : analysis.IsMultiline && text.Contains('\n', StringComparison.Ordinal) ? RequestedStyle.Literal
            : RequestedStyle.Any;
        return ScalarStyleChoice.Select(text, analysis, requested, isSimpleKey);
    }

    private static int WrittenLength(string text, ScalarStyle style) => style switch
    {
        ScalarStyle.Plain => text.Length,
        ScalarStyle.SingleQuoted => text.Length + 2,
        // An escape is at most 6 characters for 1: only long keys need counting.
        _ => text.Length * 6 + 2 <= MaxSimpleKeyLength ? text.Length + 2 : DoubleQuoted.Length(text) + 2,
    };

    /// <summary>Numbers, booleans and JSON null: their JSON text, plain.</summary>
    private void WriteOther(JsonValue value, int parentIndent)
    {
        Span<char> digits = stackalloc char[20];
        if (!value.TryGetValue(out JsonElement _) && value.TryGetValue(out long number) && number.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture))
        {
            WriteScalar(digits[..written], ScalarStyle.Plain, parentIndent);
        }
        else if (value.TryGetValue(out bool flag))
        {
            WriteScalar(flag ? "true" : "false", ScalarStyle.Plain, parentIndent);
        }
        else
        {
            var text = value.ToJsonString();
            WriteScalar(text, ScalarStyleChoice.Select(text, ScalarAnalysis.Of(text), RequestedStyle.Plain, isSimpleKey: false), parentIndent);
        }
    }

    private void WriteScalar(ReadOnlySpan<char> text, ScalarStyle style, int parentIndent)
    {
        switch (style)
        {
            case ScalarStyle.Plain:
                if (!isWhitespace)
                {
                    output.Append(' ');
                }

                output.Append(text);
                break;
            case ScalarStyle.SingleQuoted:
                WriteIndicator("'", needWhitespace: true, whitespace: false, indentation: false);
                output.Append(text);
                output.Append('\'');
                break;
            case ScalarStyle.DoubleQuoted:
                WriteIndicator("\"", needWhitespace: true, whitespace: false, indentation: false);
                DoubleQuoted.Write(text, output);
                output.Append('"');
                break;
            default:
                WriteLiteral(text, parentIndent + Indent);
                return;
        }

        isWhitespace = false;
        isIndentation = false;
    }

    private void WriteLiteral(ReadOnlySpan<char> text, int indent)
    {
        WriteIndicator("|", needWhitespace: true, whitespace: false, indentation: false);
        if (text[0] is ' ' or '\n')
        {
            // The first line's indentation is content, so the block says how deep its own indentation is.
            output.Append('2');
        }

        if (text[^1] != '\n')
        {
            output.Append('-');
        }
        else if (text.Length >= 2 && text[^2] == '\n')
        {
            output.Append('+');
        }

        output.AppendBreak('\n');
        var rest = text;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            if (!line.IsEmpty)
            {
                output.AppendSpaces(indent);
                output.Append(line);
            }

            if (end < 0)
            {
                break;
            }

            output.AppendBreak('\n');
            rest = rest[(end + 1)..];
        }

        // A block that ends with its line break leaves the next key or dash at the start of a fresh line.
        isWhitespace = true;
        isIndentation = text[^1] == '\n';
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool whitespace, bool indentation)
    {
        if (needWhitespace && !isWhitespace)
        {
            output.Append(' ');
        }

        output.Append(indicator);
        isWhitespace = whitespace;
        isIndentation &= indentation;
    }

    /// <summary>Starts a line at <paramref name="indent"/>, unless the current line holds only indentation up to there.</summary>
    private void WriteIndent(int indent)
    {
        var column = output.Column;
        if (!isIndentation || column > indent || (column == indent && !isWhitespace))
        {
            output.AppendBreak('\n');
            column = 0;
        }

        output.AppendSpaces(indent - column);
        isWhitespace = true;
        isIndentation = true;
    }
}
