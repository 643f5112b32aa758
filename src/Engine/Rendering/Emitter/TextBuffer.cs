using System.Buffers;

namespace AiGatewayModels.Engine.Rendering.Emitter;

/// <summary>
/// A pooled character buffer in front of a <see cref="TextWriter"/>: the emitter appends a few characters at a time,
/// and every <see cref="TextWriter"/> call costs something of its own (YamlDotNet's emitter made one per character).
/// It also keeps the column, which block layout needs.
/// </summary>
internal sealed class TextBuffer : IDisposable
{
    private const int Capacity = 16 * 1024;

    private readonly TextWriter output;
    private char[] chars = ArrayPool<char>.Shared.Rent(Capacity);
    private int length;
    private int lineStart;

    public TextBuffer(TextWriter output) => this.output = output;

    /// <summary>Characters written since the last <see cref="AppendBreak"/>.</summary>
    public int Column => length - lineStart;

    public void Append(char c)
    {
        if (length == chars.Length)
        {
            Flush();
        }

        chars[length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (text.Length > chars.Length - length)
        {
            Flush();
            if (text.Length > chars.Length)
            {
                output.Write(text);
                lineStart -= text.Length;
                return;
            }
        }

        text.CopyTo(chars.AsSpan(length));
        length += text.Length;
    }

    public void AppendSpaces(int count)
    {
        while (count > 0)
        {
            if (length == chars.Length)
            {
                Flush();
            }

            var run = Math.Min(count, chars.Length - length);
            chars.AsSpan(length, run).Fill(' ');
            length += run;
            count -= run;
        }
    }

    /// <summary>Appends <paramref name="c"/>, a line break, and starts counting columns after it.</summary>
    public void AppendBreak(char c)
    {
        Append(c);
        lineStart = length;
    }

    public void Flush()
    {
        output.Write(chars, 0, length);
        lineStart -= length;
        length = 0;
    }

    public void Dispose()
    {
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
            chars = [];
        }
    }
}
