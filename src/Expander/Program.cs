using System.Text;
using AiGatewayModels.Expander.Cli;

namespace AiGatewayModels.Expander;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Console.Out flushes after every write: with YamlDotNet's emitter, which wrote a character at a time, that was
        // one write(2) per character (1.6 million for 1,000 models). Our YAML writer hands over 16K-character chunks;
        // stdout stays buffered all the same and is flushed once at exit.
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
        var program = CommandLine.ProgramName(Argv0());
        return CommandLine.Run(args, Console.In, stdout, Console.Error, program);
    }

    /// <summary>
    /// argv[0] as the program was started, not the resolved executable: a symlink named kubectl-models makes this binary
    /// the kubectl plugin. /proc/self/cmdline has it for the Native AOT binary and the apphost alike (for the apphost,
    /// Environment.GetCommandLineArgs()[0] is the path of the managed assembly).
    /// </summary>
    private static string? Argv0()
    {
        try
        {
            var cmdline = File.ReadAllText("/proc/self/cmdline");
            var end = cmdline.IndexOf('\0', StringComparison.Ordinal);
            return end > 0 ? cmdline[..end] : Environment.GetCommandLineArgs().FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Environment.GetCommandLineArgs().FirstOrDefault();
        }
    }
}
