using System.Globalization;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// Plain log lines (UTC time, level, message) on a writer, stderr by default. Messages are built from names, counts,
/// field paths and apiserver reasons only: never from object content, so no Secret value can reach the log.
/// </summary>
internal sealed class ControllerLog(TextWriter writer, bool debug = false) : IKubeLog
{
    private readonly Lock gate = new();

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    public void Error(string message) => Write("error", message);

    public void Failure(string message) => Error(message);

    public void Debug(string message)
    {
        if (debug)
        {
            Write("debug", message);
        }
    }

    private void Write(string level, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level} {message}");
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
