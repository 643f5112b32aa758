using System.Text;
using AiGatewayModels.Expander.Cli;

namespace AiGatewayModels.Expander;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Console.Out flushes after every write and the YAML emitter writes a character at a time, which made
        // `render` one write(2) per character (1.6 million for 1,000 models); buffer stdout and flush once at exit.
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
        return CommandLine.Run(args, Console.In, stdout, Console.Error);
    }
}
