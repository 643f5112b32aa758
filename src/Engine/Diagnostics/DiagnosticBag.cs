namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>
/// Collects findings in the order rules produce them; every error is reported, not only the first. With a
/// <paramref name="kept"/> limit (the webhook's, which lists only the first few), past that many errors and that many
/// warnings the rest are counted, not kept: a 1 MiB document can hold 100,000 findings, and their messages once took
/// some 60 MiB for as long as the evaluation lived.
/// </summary>
public sealed class DiagnosticBag(int kept = int.MaxValue)
{
    private readonly List<Diagnostic> items = [];
    private int errors;
    private int warnings;

    public IReadOnlyList<Diagnostic> Items => items;

    /// <summary>Errors past the limit: counted, not kept.</summary>
    public int OmittedErrors { get; private set; }

    /// <summary>Warnings past the limit: counted, not kept.</summary>
    public int OmittedWarnings { get; private set; }

    public bool HasErrors => errors + OmittedErrors > 0;

    public void Error(string path, string message) => Add(Diagnostic.Error(path, message));

    public void Warning(string path, string message) => Add(Diagnostic.Warning(path, message));

    public void Add(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        if (diagnostic.IsError ? errors < kept : warnings < kept)
        {
            items.Add(diagnostic);
            _ = diagnostic.IsError ? errors++ : warnings++;
        }
        else if (diagnostic.IsError)
        {
            OmittedErrors++;
        }
        else
        {
            OmittedWarnings++;
        }
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

    /// <summary>Counts what another bag (with the same limit) left out.</summary>
    public void AddOmitted(DiagnosticBag other)
    {
        ArgumentNullException.ThrowIfNull(other);
        OmittedErrors += other.OmittedErrors;
        OmittedWarnings += other.OmittedWarnings;
    }
}
