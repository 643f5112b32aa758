using AiGatewayModels.Expander.Cli;

namespace AiGatewayModels.Expander.Tests;

/// <summary>Runs the CLI in-process with captured streams: the same code path as the binary, without a process per test.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithInput(string.Empty, args);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = CommandLine.Run(args, input, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static string TempFile(string content, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), "expander-test-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllText(path, content);
        return path;
    }
}
