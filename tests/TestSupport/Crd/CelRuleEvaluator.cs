using System.Collections.Concurrent;
using Cel;

namespace AiGatewayModels.TestSupport;

/// <summary>The outcome of one rule on one value: it holds, it fails, or the Cel package could not evaluate it.</summary>
internal readonly record struct CelOutcome(bool? Holds, string? Problem)
{
    public static CelOutcome Unevaluated(string problem) => new(null, problem);
}

/// <summary>
/// Evaluates <c>x-kubernetes-validations</c> rules with the Cel package (plus <see cref="KubernetesCelLibrary"/>).
/// Compiled rules are cached by text. Anything the package cannot do (a function it lacks, a parse or runtime
/// error, a result that is not a bool) comes back unevaluated, never as a pass.
/// </summary>
internal sealed class CelRuleEvaluator
{
    private readonly CelEnvironment env = new(null, null);
    private readonly ConcurrentDictionary<string, Lazy<(CelProgramDelegate? Program, string? Error)>> programs = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public CelRuleEvaluator() => KubernetesCelLibrary.Register(env);

    public CelOutcome Evaluate(string rule, object? self)
    {
        var result = Run(rule, self, out var problem);
        return problem is not null ? CelOutcome.Unevaluated(problem)
            : result is bool holds ? new CelOutcome(holds, null)
            : CelOutcome.Unevaluated($"returned {result?.GetType().Name ?? "null"} instead of a bool");
    }

    /// <summary>A messageExpression's text, or null when it cannot be evaluated to a string.</summary>
    public string? EvaluateMessage(string expression, object? self) => Run(expression, self, out _) as string;

    private object? Run(string expression, object? self, out string? problem)
    {
        var (program, error) = programs.GetOrAdd(expression, e => new Lazy<(CelProgramDelegate?, string?)>(() => Compile(e))).Value;
        if (program is null)
        {
            problem = error;
            return null;
        }

        try
        {
            // The package's visitor is shared by all compiled programs; evaluate one at a time.
            lock (gate)
            {
                problem = null;
                return program(new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self });
            }
        }
#pragma warning disable CA1031 // whatever the package throws, the rule is reported as unevaluated
        catch (Exception e)
#pragma warning restore CA1031
        {
            problem = $"{e.GetType().Name}: {e.Message}";
            return null;
        }
    }

    private (CelProgramDelegate?, string?) Compile(string expression)
    {
        try
        {
            lock (gate)
            {
                return (env.Compile(KubernetesCelLibrary.Rewrite(expression)), null);
            }
        }
#pragma warning disable CA1031 // a rule the package cannot parse is reported as unevaluated
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (null, $"does not compile: {e.GetType().Name}: {e.Message}");
        }
    }
}
