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

                    order.AsSpan(0, entries.Count).Sort(new KeyOrder(entries));
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
    /// sort of the first implementation did. A struct, so that sorting a mapping allocates nothing.
    /// </summary>
    private readonly struct KeyOrder(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries) : IComparer<int>
    {
        public int Compare(int x, int y) =>
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

        public void Append(char c) => Append([c], flush: false);

        /// <summary>The text's length in UTF-16 units, a colon, and the text.</summary>
        public void AppendCounted(string text)
        {
            Span<char> digits = stackalloc char[11];
            text.Length.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            Append(digits[..written], flush: false);
            Append(':');
            Append(text, flush: false);
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
            if (!pendingHighSurrogate && !flush && Ascii.IsValid(text))
            {
                while (!text.IsEmpty)
                {
                    if (used == bytes.Length)
                    {
                        hash.AppendData(bytes, 0, used);
                        used = 0;
                    }

                    var n = Math.Min(text.Length, bytes.Length - used);
                    Ascii.FromUtf16(text[..n], bytes.AsSpan(used), out _);
                    used += n;
                    text = text[n..];
                }

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
