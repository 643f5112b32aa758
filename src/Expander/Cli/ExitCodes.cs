namespace AiGatewayModels.Expander.Cli;

/// <summary>The CLI's contract with scripts: 0 valid, 1 invalid values, 2 the command itself could not run.</summary>
internal static class ExitCodes
{
    public const int Valid = 0;
    public const int InvalidValues = 1;
    public const int UsageOrIo = 2;
}

/// <summary>A problem with the command line or a file, as opposed to a problem with the values.</summary>
internal sealed class UsageException(string message) : Exception(message);
