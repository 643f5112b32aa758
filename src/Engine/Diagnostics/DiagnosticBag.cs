namespace AiGatewayModels.Engine.Diagnostics;

/// <summary>Collects findings in the order rules produce them; every error is reported, not only the first.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    public IReadOnlyList<Diagnostic> Items => items;

    public bool HasErrors => items.Exists(d => d.IsError);

    public void Error(string path, string message) => items.Add(Diagnostic.Error(path, message));

    public void Warning(string path, string message) => items.Add(Diagnostic.Warning(path, message));

    public void Add(Diagnostic diagnostic) => items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => items.AddRange(diagnostics);
}
