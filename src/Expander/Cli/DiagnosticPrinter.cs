using AiGatewayModels.Engine.Diagnostics;

namespace AiGatewayModels.Expander.Cli;

/// <summary>Errors as "path: message", one per line, so that they read like compiler output; warnings say so.</summary>
internal static class DiagnosticPrinter
{
    public static void Print(IEnumerable<Diagnostic> diagnostics, TextWriter stderr)
    {
        foreach (var d in diagnostics.Where(d => d.IsError))
        {
            stderr.WriteLine(d.ToString());
        }

        foreach (var d in diagnostics.Where(d => !d.IsError))
        {
            stderr.WriteLine("warning: " + d);
        }
    }
}
