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
        return CommandLine.Run(args, Console.In, stdout, Console.Error);
    }
}
