namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// A fast reader for the plain block YAML that values files are written in: indented mappings and sequences of plain
/// or simply quoted scalars, with comments. It builds the tree that <see cref="BoundedYamlReader"/> builds from
/// YamlDotNet's parsing events (values, quoting, positions and weights), without the events, and declines anything
/// else (flow collections, anchors, aliases, merge keys, tags, block or multi-line scalars, escapes, several documents,
/// and every syntax error), which YamlDotNet then reads. Documents that break a limit or repeat a key are declined too,
/// so that the full reader reports them, with its paths and wording. Tests hold the two to identical trees on every
/// case the project has, and on those cases with special characters inserted everywhere. The rule to keep
/// (src/Engine/Yaml/README.md): decline what you do not fully understand.
/// </summary>
/// <remarks>
/// <para><b>The rule: one verdict.</b> The two readers must never disagree about a document: not about whether it is
/// valid, not about a value, not about a position. So this reader declines, before reading anything, every document
/// that holds a character outside printable ASCII and the line feed: tabs, carriage returns, NEL, the Unicode line and
/// paragraph separators, byte-order marks, other control characters, and non-ASCII text altogether. YAML gives some of
/// them meaning (line breaks, white space, indentation) that YamlDotNet applies and a hand-written reader would have to
/// copy exactly; others YamlDotNet refuses. Declining them costs nothing for values files, which are ASCII, and makes
/// the full reader the only judge of every other document. A change here must keep to that: when in doubt, decline.
/// </para>
/// </remarks>
internal static class BlockYamlParser
{
    // Deeper documents go to the full parser, whose reader reports the depth limit with a path.
    private const int MaxDepth = 64;

    /// <summary>Printable ASCII and the line feed: the only characters this reader reads (see the remarks).</summary>
    private static readonly System.Buffers.SearchValues<char> PlainText = System.Buffers.SearchValues.Create(
        "\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>The tree of <paramref name="text"/>, or null when the text needs the full YAML parser.</summary>
    public static YNode? TryRead(string text, YamlLimits limits)
    {
        // See the remarks: anything but printable ASCII and '\n' goes to the full reader.
        if (text.AsSpan().ContainsAnyExcept(PlainText))
        {
            return null;
        }

        return new Reader(text, limits).TryRead();
    }

    private sealed class Declined : Exception;

    private sealed class Reader(string text, YamlLimits limits)
    {
        private static readonly System.Buffers.SearchValues<char> FlowSpecials = System.Buffers.SearchValues.Create("[]{}:#\\\"'");

        // The entries and items of the collections being read, innermost last: each collection copies its own into an
        // array of the right size when it ends, so no collection grows a list of its own.
        private readonly List<KeyValuePair<YScalar, YNode>> entries = [];
        private readonly List<YNode> items = [];
        private readonly StringCache strings = new();
        private readonly int maxDepth = Math.Min(MaxDepth, limits.MaxDepth);

        // The significant line being read (blank and comment-only lines carry no nodes) and where the next one is looked for.
        private Line current;
        private bool atEnd;
        private int next;
        private int lineNumber;
        private long nodes;

        public YNode? TryRead()
        {
            try
            {
                Advance();
                if (atEnd || current.Indent != 0)
                {
                    return null;
                }

                var root = ParseBlock(1);
                return atEnd ? root : null;
            }
            catch (Declined)
            {
                return null;
            }
        }

        /// <summary>Moves to the next significant line, or to the end.</summary>
        private void Advance()
        {
            while (next <= text.Length)
            {
                var offset = next;
                var newline = text.IndexOf('\n', offset);
                var end = newline < 0 ? text.Length : newline;
                next = end + 1;
                lineNumber++;
                var content = offset;
                while (content < end && text[content] == ' ')
                {
                    content++;
                }

                if (content < end && text[content] != '#')
                {
                    if (content == offset && (Starts(offset, end, "---") || Starts(offset, end, "...") || text[offset] == '%'))
                    {
                        throw new Declined();
                    }

                    current = new Line(lineNumber, offset, content, end);
                    return;
                }
            }

            atEnd = true;
        }

        private bool Starts(int from, int end, string prefix) => end - from >= prefix.Length && string.CompareOrdinal(text, from, prefix, 0, prefix.Length) == 0;

        private YNode ParseBlock(int depth)
        {
            if (depth > maxDepth)
            {
                throw new Declined();
            }

            return IsSequenceItem(current) ? ParseSequence(depth) : ParseMapping(depth);
        }

        private YMapping ParseMapping(int depth)
        {
            var first = current;
            var indent = first.Indent;
            var start = entries.Count;
            HashSet<string>? index = null;
            long weight = 1;
            while (!atEnd && current.Indent == indent)
            {
                var line = current;
                if (IsSequenceItem(line))
                {
                    throw new Declined();
                }

                var colon = KeyEnd(line);
                var keyText = text.AsSpan(line.ContentStart, colon - line.ContentStart);
                // A merge key (<<) is resolved by the full reader only: one place for YAML's merge rule.
                if (keyText.Length == 0 || IsIndicator(keyText[0]) || keyText[^1] == ' ' || keyText.Contains(" #", StringComparison.Ordinal) || keyText.SequenceEqual("<<"))
                {
                    throw new Declined();
                }

                var key = new YScalar(strings.Get(keyText), quoted: false, tag: null, line.Number, Column(line, line.ContentStart));
                if (IsRepeated(start, ref index, key.Value))
                {
                    throw new Declined(); // the full reader names both lines
                }

                var value = ParseValue(line, colon + 1, allowSameIndentSequence: true, depth + 1);
                entries.Add(new KeyValuePair<YScalar, YNode>(key, value));
                weight += value.Weight + 1;
            }

            if (!atEnd && current.Indent > indent)
            {
                throw new Declined();
            }

            CountNode();
            return new YMapping(Take(entries, start), weight, first.Number, Column(first, first.ContentStart));
        }

        private YSequence ParseSequence(int depth)
        {
            var first = current;
            var indent = first.Indent;
            var start = items.Count;
            long weight = 1;
            while (!atEnd && current.Indent == indent && IsSequenceItem(current))
            {
                var line = current;
                var after = line.ContentStart + 1;
                var rest = SkipSpaces(after, line.End);
                YNode item;
                if (rest < line.End && text[rest] != '#' && (LooksLikeKey(rest, line.End) || text[rest] == '-'))
                {
                    // "- key: value" or "- - x": the item is a block that starts on this line, at this column.
                    current = line with { ContentStart = rest };
                    item = ParseBlock(depth + 1);
                }
                else
                {
                    item = ParseValue(line, after, allowSameIndentSequence: false, depth + 1);
                }

                items.Add(item);
                weight += item.Weight;
            }

            if (!atEnd && current.Indent > indent)
            {
                throw new Declined();
            }

            CountNode();
            return new YSequence(Take(items, start), weight, first.Number, Column(first, first.ContentStart));
        }

        /// <summary>The value after a key's colon or an item's dash: inline scalar, nested block, or empty.</summary>
        private YNode ParseValue(Line line, int from, bool allowSameIndentSequence, int depth)
        {
            var start = SkipSpaces(from, line.End);
            Advance();
            if (start < line.End && text[start] != '#')
            {
                if (start == from)
                {
                    throw new Declined(); // "key:value" is no key; leave odd spacing to the full parser
                }

                var value = text[start] is '[' or '{' ? FlowCollection(line, start, depth) : InlineScalar(line, start, depth);
                if (!atEnd && current.Indent > line.Indent)
                {
                    throw new Declined(); // a multi-line scalar or an error
                }

                return value;
            }

            if (!atEnd && (current.Indent > line.Indent || (allowSameIndentSequence && current.Indent == line.Indent && IsSequenceItem(current))))
            {
                return ParseBlock(depth);
            }

            // An empty value: YamlDotNet places it right after the colon or dash.
            return Scalar(string.Empty, quoted: false, line, from, depth);
        }

        /// <summary>One-line flow lists of plain scalars (<c>[429, 503]</c>) and empty <c>{}</c> or <c>[]</c>; nothing more.</summary>
        private YNode FlowCollection(Line line, int start, int depth)
        {
            if (depth > maxDepth)
            {
                throw new Declined();
            }

            var open = text[start];
            var close = text.IndexOf(open == '[' ? ']' : '}', start + 1, line.End - start - 1);
            if (close < 0)
            {
                throw new Declined();
            }

            var tail = SkipSpaces(close + 1, line.End);
            if (tail < line.End && (text[tail] != '#' || tail == close + 1))
            {
                throw new Declined();
            }

            var empty = text.AsSpan(start + 1, close - start - 1).Trim(' ').IsEmpty;
            CountNode();
            if (open == '{')
            {
                return empty ? new YMapping([], 1, line.Number, Column(line, start)) : throw new Declined();
            }

            if (empty)
            {
                return new YSequence([], 1, line.Number, Column(line, start));
            }

            var begin = items.Count;
            var itemStart = start + 1;
            while (itemStart <= close)
            {
                var comma = text.IndexOf(',', itemStart, close - itemStart);
                var itemEnd = comma < 0 ? close : comma;
                var from = SkipSpaces(itemStart, itemEnd);
                var to = itemEnd;
                while (to > from && text[to - 1] == ' ')
                {
                    to--;
                }

                var item = text.AsSpan(from, to - from);
                if (item.Length == 0 || (IsIndicator(item[0]) && !(item[0] == '-' && item.Length > 1 && item[1] != ' ')) || item.IndexOfAny(FlowSpecials) >= 0)
                {
                    throw new Declined();
                }

                items.Add(Scalar(strings.Get(item), quoted: false, line, from, depth + 1));
                itemStart = itemEnd + 1;
            }

            var list = Take(items, begin);
            return new YSequence(list, 1 + list.Length, line.Number, Column(line, start));
        }

        private YScalar InlineScalar(Line line, int start, int depth)
        {
            var first = text[start];
            if (first is '"' or '\'')
            {
                var close = text.IndexOf(first, start + 1);
                if (close < 0 || close >= line.End)
                {
                    throw new Declined();
                }

                var quoted = text.AsSpan(start + 1, close - start - 1);
                if (quoted.Contains('\\') || (first == '\'' && close + 1 < line.End && text[close + 1] == '\''))
                {
                    throw new Declined();
                }

                var tail = SkipSpaces(close + 1, line.End);
                if (tail < line.End && (text[tail] != '#' || tail == close + 1))
                {
                    throw new Declined();
                }

                return Scalar(strings.Get(quoted), quoted: true, line, start, depth);
            }

            if (IsIndicator(first) && !(first is '-' or '?' or ':' && start + 1 < line.End && text[start + 1] != ' '))
            {
                throw new Declined();
            }

            var comment = text.IndexOf(" #", start, line.End - start, StringComparison.Ordinal);
            var valueEnd = comment < 0 ? line.End : comment;
            while (valueEnd > start && text[valueEnd - 1] == ' ')
            {
                valueEnd--;
            }

            var plain = text.AsSpan(start, valueEnd - start);
            if (plain.Contains(": ", StringComparison.Ordinal) || plain.EndsWith(':'))
            {
                throw new Declined();
            }

            return Scalar(strings.Get(plain), quoted: false, line, start, depth);
        }

        private YScalar Scalar(string value, bool quoted, Line line, int offset, int depth)
        {
            if (depth > maxDepth)
            {
                throw new Declined();
            }

            CountNode();
            return new YScalar(value, quoted, tag: null, line.Number, Column(line, offset));
        }

        /// <summary>Counts nodes as the full reader does (keys not included), and gives up as soon as there are too many.</summary>
        private void CountNode()
        {
            if (++nodes > limits.MaxNodes)
            {
                throw new Declined();
            }
        }

        private int SkipSpaces(int from, int end)
        {
            while (from < end && text[from] == ' ')
            {
                from++;
            }

            return from;
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

        /// <summary>Columns count from 1, as YamlDotNet's do.</summary>
        private static int Column(Line line, int offset) => offset - line.Start + 1;

        /// <summary>Moves the children of a collection, the last ones of <paramref name="pending"/>, into an array.</summary>
        private static T[] Take<T>(List<T> pending, int start)
        {
            var taken = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)[start..].ToArray();
            pending.RemoveRange(start, pending.Count - start);
            return taken;
        }

        // Values mappings hold a handful of keys, where a scan beats hashing; past SmallMapping keys a set takes over,
        // so that a mapping of thousands of models stays linear.
        private const int SmallMapping = 16;

        /// <summary>Whether the mapping whose entries start at <paramref name="start"/> already has <paramref name="key"/>.</summary>
        private bool IsRepeated(int start, ref HashSet<string>? index, string key)
        {
            if (index is null && entries.Count - start >= SmallMapping)
            {
                index = new HashSet<string>(StringComparer.Ordinal);
                for (var i = start; i < entries.Count; i++)
                {
                    index.Add(entries[i].Key.Value);
                }
            }

            if (index is not null)
            {
                return !index.Add(key);
            }

            for (var i = start; i < entries.Count; i++)
            {
                if (string.Equals(entries[i].Key.Value, key, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private readonly record struct Line(int Number, int Start, int ContentStart, int End)
    {
        public int Indent => ContentStart - Start;
    }
}
