using System.Text;
using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Expander.Cli;

/// <summary>
/// The CLI's standard error, line by line through <see cref="MessageGuard"/>: findings pass it when they are made,
/// and so does every other line (usage errors that quote an option or a file's metadata, notes, summaries), so nothing
/// the CLI prints can carry a credential-shaped or invisible character.
/// </summary>
internal sealed class GuardedWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder line = new();

    // The controller logs from several threads; a line must not take characters from another.
    private readonly Lock gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (gate)
        {
            Append(value);
        }
    }

    private void Append(char value)
    {
        if (value == '\n')
        {
            inner.Write(MessageGuard.Clean(line.ToString()));
            inner.Write('\n');
            line.Clear();
        }
        else
        {
            line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            foreach (var c in value ?? string.Empty)
            {
                Append(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            foreach (var c in value ?? string.Empty)
            {
                Append(c);
            }

            Append('\n');
        }
    }

    public override void WriteLine() => Write('\n');

    public override void Flush()
    {
        lock (gate)
        {
            if (line.Length > 0)
            {
                inner.Write(MessageGuard.Clean(line.ToString()));
                line.Clear();
            }

            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
