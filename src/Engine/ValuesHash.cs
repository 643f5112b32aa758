using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine;

/// <summary>
/// A hash of the values' meaning, not their text: key order, comments, quoting style and aliases do not change it.
/// Lets the webhook and the expander tell a real change from a reformatting.
/// </summary>
/// <remarks>
/// The canonical form: a scalar is <c>s</c> (quoted) or <c>p</c> (plain), its length in UTF-16 units, <c>:</c> and its
/// text; a sequence is <c>[</c> items <c>]</c>; a mapping is <c>{</c>, then per key in ordinal order the key's length,
/// <c>:</c>, the key and the value, then <c>}</c>; all of it UTF-8. It is streamed into the hash through one small
/// buffer: the webhook hashes every values ConfigMap it has not seen, so the hash must not cost a copy of the values.
/// </remarks>
public static class ValuesHash
{
    public static string Compute(YNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var sink = new CanonicalSink();
        Write(root, sink);
        return "sha256:" + Convert.ToHexStringLower(sink.Finish());
    }

    private static void Write(YNode node, CanonicalSink sink)
    {
        switch (node)
        {
            case YScalar s:
                // Type is part of the meaning: "1" and 1 are different values.
                sink.Append(s.Quoted ? 's' : 'p');
                sink.AppendCounted(s.Value);
                break;
            case YSequence seq:
                sink.Append('[');
                foreach (var item in seq.Items)
                {
                    Write(item, sink);
                }

                sink.Append(']');
                break;
            case YMapping m:
                sink.Append('{');
                var entries = m.Entries;
                var order = ArrayPool<int>.Shared.Rent(entries.Count);
                try
                {
                    for (var i = 0; i < entries.Count; i++)
                    {
                        order[i] = i;
                    }

                    KeyOrder.Sort(order.AsSpan(0, entries.Count), entries);
                    for (var i = 0; i < entries.Count; i++)
                    {
                        var (key, value) = entries[order[i]];
                        sink.AppendCounted(key.Value);
                        Write(value, sink);
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(order);
                }

                sink.Append('}');
                break;
        }
    }

    /// <summary>
    /// Entry indices by key, ordinal; ties (there are none: duplicate keys are refused) keep document order, as the stable
    /// sort of the first implementation did.
    /// </summary>
    private sealed class KeyOrder(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries) : IComparer<int>
    {
        /// <summary>Most mappings have a handful of keys: an insertion sort allocates nothing; long ones get a real sort.</summary>
        public static void Sort(Span<int> order, IReadOnlyList<KeyValuePair<YScalar, YNode>> entries)
        {
            if (order.Length > 16)
            {
                order.Sort(new KeyOrder(entries));
                return;
            }

            for (var i = 1; i < order.Length; i++)
            {
                var current = order[i];
                var j = i - 1;
                while (j >= 0 && Compare(entries, order[j], current) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = current;
            }
        }

        public int Compare(int x, int y) => Compare(entries, x, y);

        private static int Compare(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, int x, int y) =>
            string.CompareOrdinal(entries[x].Key.Value, entries[y].Key.Value) is var c and not 0 ? c : x.CompareTo(y);
    }

    /// <summary>Encodes the canonical text as UTF-8 into SHA-256, a buffer at a time.</summary>
    private sealed class CanonicalSink : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // One encoder for the whole text, as if it were one string: a surrogate pair split between two appends is encoded
        // as the pair, exactly as encoding the concatenated text would.
        private readonly Encoder encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        private readonly byte[] bytes = ArrayPool<byte>.Shared.Rent(8192);
        private int used;
        private bool pendingHighSurrogate;

        public void Append(char c)
        {
            if (c < 0x80 && !pendingHighSurrogate)
            {
                Reserve(1);
                bytes[used++] = (byte)c;
            }
            else
            {
                Append([c], flush: false);
            }
        }

        /// <summary>The text's length in UTF-16 units, a colon, and the text.</summary>
        public void AppendCounted(string text)
        {
            if (pendingHighSurrogate)
            {
                Span<char> digits = stackalloc char[11];
                text.Length.TryFormat(digits, out var formatted, provider: CultureInfo.InvariantCulture);
                Append(digits[..formatted], flush: false);
            }
            else
            {
                // digits are ASCII: formatted straight into the buffer
                Reserve(11);
                text.Length.TryFormat(bytes.AsSpan(used), out var written, provider: CultureInfo.InvariantCulture);
                used += written;
            }

            Append(':');
            Append(text, flush: false);
        }

        private void Reserve(int count)
        {
            if (bytes.Length - used < count)
            {
                hash.AppendData(bytes, 0, used);
                used = 0;
            }
        }

        public byte[] Finish()
        {
            Append([], flush: true);
            hash.AppendData(bytes, 0, used);
            used = 0;
            return hash.GetHashAndReset();
        }

        public void Dispose()
        {
            hash.Dispose();
            ArrayPool<byte>.Shared.Return(bytes);
        }

        private void Append(ReadOnlySpan<char> text, bool flush)
        {
            // ASCII (nearly all of the values) is its own UTF-8: copied without the encoder, unless the encoder holds the
            // first half of a surrogate pair, which the next character decides
            while (!pendingHighSurrogate && !flush && !text.IsEmpty)
            {
                Reserve(1);
                var status = Ascii.FromUtf16(text, bytes.AsSpan(used), out var written);
                used += written;
                text = text[written..];
                if (status == System.Buffers.OperationStatus.InvalidData)
                {
                    break; // not ASCII from here on: the encoder takes the rest
                }
            }

            if (text.IsEmpty && !flush)
            {
                return;
            }

            pendingHighSurrogate = !flush && !text.IsEmpty && char.IsHighSurrogate(text[^1]);
            var completed = false;
            while (!completed)
            {
                if (bytes.Length - used < 16)
                {
                    hash.AppendData(bytes, 0, used);
                    used = 0;
                }

                encoder.Convert(text, bytes.AsSpan(used), flush, out var charsUsed, out var bytesUsed, out completed);
                used += bytesUsed;
                text = text[charsUsed..];
                completed |= text.IsEmpty && charsUsed == 0 && bytesUsed == 0; // nothing left to do, whatever the encoder says
            }
        }
    }
}
