namespace AiGatewayModels.Engine.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>
/// One finding about the values: a field path in the values' own keys (e.g. <c>models.gpt-4.backends.primary.ref</c>),
/// and a message that names the bad value (never a secret) and the fix. Path, message and origin pass
/// <see cref="MessageGuard"/> when they are set, <c>with</c> expressions included: a finding cannot hold a
/// credential-shaped or invisible character, wherever its text came from.
/// </summary>
public sealed record Diagnostic
{
    public Diagnostic(Severity severity, string path, string message)
    {
        Severity = severity;
        Path = path;
        Message = message;
    }

    public Severity Severity { get; init; }

    public string Path { get; init => field = MessageGuard.Clean(value); }

    public string Message { get; init => field = MessageGuard.Clean(value); }

    public static Diagnostic Error(string path, string message) => new(Severity.Error, path, message);

    public static Diagnostic Warning(string path, string message) => new(Severity.Warning, path, message);

    /// <summary>
    /// Where the value at <see cref="Path"/> came from when the path alone does not show it: a values file or
    /// <c>--set</c> among several, a merge key or an alias (<see cref="Yaml.Provenance"/>). Null otherwise. Guarded
    /// like the message: origins name lines today, but nothing here relies on that.
    /// </summary>
    public string? Origin { get; init => field = value is null ? null : MessageGuard.Clean(value); }

    public bool IsError => Severity == Severity.Error;

    /// <summary>The message and, in parentheses, the origin.</summary>
    public string Text => Origin is null ? Message : $"{Message} ({Origin})";

    /// <summary>Path first, so that a list of findings reads like compiler output and sorts by place.</summary>
    public override string ToString() => string.IsNullOrEmpty(Path) ? Text : $"{Path}: {Text}";
}
