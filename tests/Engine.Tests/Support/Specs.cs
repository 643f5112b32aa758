using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Support;

/// <summary>Builds a <see cref="ValuesSpec"/> from a small YAML snippet, the way the evaluator does, for calling one rule family directly.</summary>
internal static class Specs
{
    public const string Gateway = SampleValues.Gateway;

    public const string Backends = SampleValues.Backends;

    public const string Models = SampleValues.Models;

    /// <summary>A model's slots on the two backends of <see cref="Backends"/>, at two priority levels.</summary>
    public const string TwoLevels = "    backends:\n      a: {ref: openai}\n      b: {ref: anthropic, priority: 1}\n";

    /// <summary>Valid values: one Gateway, two backends, one model that fails over from one to the other.</summary>
    public const string Valid = Gateway + Backends + Models;

    public static YNode Parse(string yaml)
    {
        var read = BoundedYamlReader.Read(yaml, "the test values");
        Assert.True(read.Ok, "test YAML does not parse: " + string.Join("; ", read.Diagnostics));
        return read.Root!;
    }

    /// <summary>Binds and insists that the snippet is well-shaped: these tests are about the rules, not the binder.</summary>
    public static ValuesSpec Bind(string yaml)
    {
        var bag = new DiagnosticBag();
        var spec = ValuesBinder.Bind(Parse(yaml), bag);
        Assert.True(!bag.HasErrors, "test YAML does not bind: " + string.Join("; ", bag.Items));
        return spec;
    }

    /// <summary>Binds and returns the binder's findings too.</summary>
    public static (ValuesSpec Spec, IReadOnlyList<Diagnostic> Diagnostics) BindWithDiagnostics(string yaml)
    {
        var bag = new DiagnosticBag();
        var spec = ValuesBinder.Bind(Parse(yaml), bag);
        return (spec, bag.Items);
    }

    public static RuleContext Context(ModelsPolicy? policy = null, string ns = "default", string name = "models") =>
        new(policy ?? ModelsPolicy.Default, ns, name);

    public static List<Diagnostic> Run(Func<ValuesSpec, RuleContext, IEnumerable<Diagnostic>> family, string yaml, ModelsPolicy? policy = null, string ns = "default", string name = "models") =>
        family(Bind(yaml), Context(policy, ns, name)).ToList();

    public static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => (d.IsError ? "error " : "warning ") + d));

    /// <summary>Exactly one error, at this path, whose message holds the fragment; warnings are ignored.</summary>
    public static Diagnostic SingleError(IReadOnlyList<Diagnostic> diagnostics, string path, string fragment)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, $"expected one error at {path}, got:\n{Describe(diagnostics)}");
        Assert.Equal(path, errors[0].Path);
        Assert.Contains(fragment, errors[0].Message, StringComparison.Ordinal);
        return errors[0];
    }

    public static void NoErrors(IReadOnlyList<Diagnostic> diagnostics) =>
        Assert.True(!diagnostics.Any(d => d.IsError), "expected no errors, got:\n" + Describe(diagnostics));

    public static void NoDiagnostics(IReadOnlyList<Diagnostic> diagnostics) =>
        Assert.True(diagnostics.Count == 0, "expected no findings, got:\n" + Describe(diagnostics));
}
