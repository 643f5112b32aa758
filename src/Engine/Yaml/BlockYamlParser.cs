using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// A fast reader for the plain block YAML that values files are written in: indented mappings and sequences of plain
/// or simply quoted scalars, with comments. It produces the same parsing events as YamlDotNet's parser (values, styles
/// and start positions), about ten times faster, and declines anything else (flow collections, anchors, tags, block or
/// multi-line scalars, escapes, tabs, several documents, and every syntax error), which YamlDotNet then reads.
/// Tests hold the two to identical trees on every case the project has.
/// </summary>
internal sealed class BlockYamlParser : IParser
{
    private readonly List<ParsingEvent> events;
    private int position = -1;

    private BlockYamlParser(List<ParsingEvent> events) => this.events = events;

    public ParsingEvent? Current => position >= 0 && position < events.Count ? events[position] : null;

    /// <summary>The fast parser for <paramref name="text"/>, or null when the text needs the full YAML parser.</summary>
    public static BlockYamlParser? TryCreate(string text)
    {
        var builder = new Builder(text);
        return builder.Build() ? new BlockYamlParser(builder.Events) : null;
    }

    public bool MoveNext()
    {
        if (position < events.Count)
        {
            position++;
        }

        return position < events.Count;
    }

    private sealed class Declined : Exception;

    private sealed class Builder(string text)
    {
        private static readonly System.Buffers.SearchValues<char> FlowSpecials = System.Buffers.SearchValues.Create("[]{}:#\\\"'");

        // Deeper documents go to the full parser, whose reader reports the depth limit with a path.
        private const int MaxDepth = 64;

        private readonly List<Line> lines = [];
        private int current;
        private int depth;

        public List<ParsingEvent> Events { get; } = [];

        public bool Build()
        {
            if (text.Contains('\t', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
            {
                return false;
            }

            try
            {
                Split();
                if (lines.Count == 0 || lines[0].Indent != 0)
                {
                    return false;
                }

                var start = Mark(0, 0);
                Events.Add(new StreamStart(start, start));
                Events.Add(new DocumentStart(null, null, isImplicit: true, start, start));
                ParseBlock(0);
                if (current != lines.Count)
                {
                    return false;
                }

                var end = EndMark();
                Events.Add(new DocumentEnd(isImplicit: true, end, end));
                Events.Add(new StreamEnd(end, end));
                return true;
            }
            catch (Declined)
            {
                return false;
            }
        }

        /// <summary>Significant lines only: blank and comment-only lines carry no events.</summary>
        private void Split()
        {
            var lineNumber = 0;
            var offset = 0;
            while (offset <= text.Length)
            {
                var newline = text.IndexOf('\n', offset);
                var end = newline < 0 ? text.Length : newline;
                lineNumber++;
                var indent = 0;
                while (offset + indent < end && text[offset + indent] == ' ')
                {
                    indent++;
                }

                if (offset + indent < end && text[offset + indent] != '#')
                {
                    if (indent == 0 && (Starts(offset, end, "---") || Starts(offset, end, "...") || text[offset] == '%'))
                    {
                        throw new Declined();
                    }

                    lines.Add(new Line(lineNumber, offset, offset + indent, end));
                }

                if (newline < 0)
                {
                    break;
                }

                offset = newline + 1;
            }
        }

        private bool Starts(int from, int end, string prefix) => end - from >= prefix.Length && string.CompareOrdinal(text, from, prefix, 0, prefix.Length) == 0;

        private void ParseBlock(int indent)
        {
            if (++depth > MaxDepth)
            {
                throw new Declined();
            }

            if (IsSequenceItem(lines[current]))
            {
                ParseSequence(indent);
            }
            else
            {
                ParseMapping(indent);
            }

            depth--;
        }

        private void ParseMapping(int indent)
        {
            var first = lines[current];
            Events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block, MarkAt(first, first.ContentStart), MarkAt(first, first.ContentStart)));
            while (current < lines.Count && lines[current].Indent == indent)
            {
                var line = lines[current];
                if (IsSequenceItem(line))
                {
                    throw new Declined();
                }

                var colon = KeyEnd(line);
                var key = text[line.ContentStart..colon];
                if (key.Length == 0 || IsIndicator(key[0]) || key.EndsWith(' ') || key.Contains(" #", StringComparison.Ordinal))
                {
                    throw new Declined();
                }

                Events.Add(new Scalar(AnchorName.Empty, TagName.Empty, key, ScalarStyle.Plain, true, false, MarkAt(line, line.ContentStart), MarkAt(line, colon)));
                ParseValue(line, colon + 1, indent, allowSameIndentSequence: true);
            }

            if (current < lines.Count && lines[current].Indent > indent)
            {
                throw new Declined();
            }

            var end = NextMark();
            Events.Add(new MappingEnd(end, end));
        }

        private void ParseSequence(int indent)
        {
            var first = lines[current];
            Events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block, MarkAt(first, first.ContentStart), MarkAt(first, first.ContentStart)));
            while (current < lines.Count && lines[current].Indent == indent && IsSequenceItem(lines[current]))
            {
                var line = lines[current];
                var after = line.ContentStart + 1;
                var rest = after;
                while (rest < line.End && text[rest] == ' ')
                {
                    rest++;
                }

                if (rest < line.End && text[rest] != '#' && (LooksLikeKey(rest, line.End) || text[rest] == '-'))
                {
                    // "- key: value" or "- - x": the item is a block that starts on this line, at this column.
                    lines[current] = line with { ContentStart = rest };
                    ParseBlock(rest - line.Start);
                    continue;
                }

                ParseValue(line, after, indent, allowSameIndentSequence: false);
            }

            if (current < lines.Count && lines[current].Indent > indent)
            {
                throw new Declined();
            }

            var end = NextMark();
            Events.Add(new SequenceEnd(end, end));
        }

        /// <summary>The value after a key's colon or an item's dash: inline scalar, nested block, or empty.</summary>
        private void ParseValue(Line line, int from, int indent, bool allowSameIndentSequence)
        {
            var start = from;
            while (start < line.End && text[start] == ' ')
            {
                start++;
            }

            current++;
            if (start < line.End && text[start] != '#')
            {
                if (start == from)
                {
                    throw new Declined(); // "key:value" is no key; leave odd spacing to the full parser
                }

                AddInlineValue(line, start);
                if (current < lines.Count && lines[current].Indent > indent)
                {
                    throw new Declined(); // a multi-line scalar or an error
                }

                return;
            }

            if (current < lines.Count && (lines[current].Indent > indent || (allowSameIndentSequence && lines[current].Indent == indent && IsSequenceItem(lines[current]))))
            {
                ParseBlock(lines[current].Indent);
                return;
            }

            // An empty value: YamlDotNet places it right after the colon or dash.
            var at = MarkAt(line, from);
            Events.Add(new Scalar(AnchorName.Empty, TagName.Empty, string.Empty, ScalarStyle.Plain, true, false, at, at));
        }

        private void AddInlineValue(Line line, int start)
        {
            if (text[start] is '[' or '{')
            {
                AddFlowCollection(line, start);
            }
            else
            {
                Events.Add(InlineScalar(line, start));
            }
        }

        /// <summary>One-line flow lists of plain scalars (<c>[429, 503]</c>) and empty <c>{}</c> or <c>[]</c>; nothing more.</summary>
        private void AddFlowCollection(Line line, int start)
        {
            var open = text[start];
            var close = text.IndexOf(open == '[' ? ']' : '}', start + 1, line.End - start - 1);
            if (close < 0)
            {
                throw new Declined();
            }

            var tail = close + 1;
            while (tail < line.End && text[tail] == ' ')
            {
                tail++;
            }

            if (tail < line.End && (text[tail] != '#' || tail == close + 1))
            {
                throw new Declined();
            }

            var at = MarkAt(line, start);
            var inner = text[(start + 1)..close];
            if (open == '{')
            {
                if (inner.Trim().Length != 0)
                {
                    throw new Declined();
                }

                Events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Flow, at, at));
                Events.Add(new MappingEnd(MarkAt(line, close), MarkAt(line, close + 1)));
                return;
            }

            Events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow, at, at));
            if (inner.Trim().Length != 0)
            {
                var itemStart = start + 1;
                while (itemStart <= close)
                {
                    var comma = text.IndexOf(',', itemStart, close - itemStart);
                    var itemEnd = comma < 0 ? close : comma;
                    var from = itemStart;
                    while (from < itemEnd && text[from] == ' ')
                    {
                        from++;
                    }

                    var to = itemEnd;
                    while (to > from && text[to - 1] == ' ')
                    {
                        to--;
                    }

                    var item = text[from..to];
                    if (item.Length == 0 || (IsIndicator(item[0]) && !(item[0] == '-' && item.Length > 1 && item[1] != ' ')) || item.AsSpan().IndexOfAny(FlowSpecials) >= 0)
                    {
                        throw new Declined();
                    }

                    Events.Add(new Scalar(AnchorName.Empty, TagName.Empty, item, ScalarStyle.Plain, true, false, MarkAt(line, from), MarkAt(line, to)));
                    itemStart = itemEnd + 1;
                }
            }

            Events.Add(new SequenceEnd(MarkAt(line, close), MarkAt(line, close + 1)));
        }

        private Scalar InlineScalar(Line line, int start)
        {
            var first = text[start];
            int valueEnd;
            string value;
            ScalarStyle style;
            if (first is '"' or '\'')
            {
                var close = text.IndexOf(first, start + 1);
                if (close < 0 || close >= line.End)
                {
                    throw new Declined();
                }

                value = text[(start + 1)..close];
                if (value.Contains('\\', StringComparison.Ordinal) || (first == '\'' && close + 1 < line.End && text[close + 1] == '\''))
                {
                    throw new Declined();
                }

                valueEnd = close + 1;
                style = first == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
                var tail = valueEnd;
                while (tail < line.End && text[tail] == ' ')
                {
                    tail++;
                }

                if (tail < line.End && (text[tail] != '#' || tail == valueEnd))
                {
                    throw new Declined();
                }
            }
            else
            {
                if (IsIndicator(first) && !(first is '-' or '?' or ':' && start + 1 < line.End && text[start + 1] != ' '))
                {
                    throw new Declined();
                }

                var comment = text.IndexOf(" #", start, line.End - start, StringComparison.Ordinal);
                valueEnd = comment < 0 ? line.End : comment;
                while (valueEnd > start && text[valueEnd - 1] == ' ')
                {
                    valueEnd--;
                }

                value = text[start..valueEnd];
                if (value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':'))
                {
                    throw new Declined();
                }

                style = ScalarStyle.Plain;
            }

            return new Scalar(AnchorName.Empty, TagName.Empty, value, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain, MarkAt(line, start), MarkAt(line, valueEnd));
        }

        private bool IsSequenceItem(Line line) =>
            text[line.ContentStart] == '-' && (line.ContentStart + 1 == line.End || text[line.ContentStart + 1] == ' ');

        /// <summary>The colon that ends a plain key: the first ": " or a colon at the end of the line.</summary>
        private int KeyEnd(Line line)
        {
            var colon = text.IndexOf(": ", line.ContentStart, line.End - line.ContentStart, StringComparison.Ordinal);
            if (colon >= 0)
            {
                return colon;
            }

            var hash = text.IndexOf(" #", line.ContentStart, line.End - line.ContentStart, StringComparison.Ordinal);
            var end = hash < 0 ? line.End : hash;
            while (end > line.ContentStart && text[end - 1] == ' ')
            {
                end--;
            }

            return end > line.ContentStart && text[end - 1] == ':' ? end - 1 : throw new Declined();
        }

        private bool LooksLikeKey(int from, int end)
        {
            if (IsIndicator(text[from]))
            {
                return false;
            }

            var colon = text.IndexOf(": ", from, end - from, StringComparison.Ordinal);
            return colon >= 0 || text[end - 1] == ':';
        }

        private static bool IsIndicator(char c) => c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`';

        private static Mark MarkAt(Line line, int offset) => new(offset, line.Number, offset - line.Start + 1);

        private static Mark Mark(int line, int column) => new(0, line + 1, column + 1);

        /// <summary>Where the next significant line starts, or the end of the text: where YamlDotNet closes a block.</summary>
        private Mark NextMark() => current < lines.Count ? MarkAt(lines[current], lines[current].ContentStart) : EndMark();

        private Mark EndMark() => new(text.Length, lines[^1].Number + 1, 1);
    }

    private readonly record struct Line(int Number, int Start, int ContentStart, int End)
    {
        public int Indent => ContentStart - Start;
    }
}
