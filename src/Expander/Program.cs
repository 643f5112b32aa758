using AiGatewayModels.Expander.Cli;

namespace AiGatewayModels.Expander;

internal static class Program
{
    public static int Main(string[] args) => CommandLine.Run(args, Console.In, Console.Out, Console.Error);
}
