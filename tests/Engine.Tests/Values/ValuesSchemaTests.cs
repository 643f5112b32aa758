using System.Text.Json;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.TestSupport;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Tests.DataDriven;
using Json.Schema;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Values;

/// <summary>
/// The JSON Schema for editors (deploy/schema/values.schema.json) is what the generator writes from the binder's key
/// tables, and agrees with the binder: every accepted values document passes it, and every document the binder refuses
/// for its shape (an unknown key, a wrong type, a missing or null field) fails it. A validator the project did not write
/// (JsonSchema.Net) judges the documents, read with the same YAML typing as the binder (<see cref="ChartConverter.ToJson"/>).
/// </summary>
public sealed class ValuesSchemaTests
{
    private const string Regenerate = "dotnet run --project src/Expander -- schema > " + ValuesSchema.RepositoryPath;

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, ValuesSchema.RepositoryPath))));

    [Fact]
    public void The_checked_in_schema_is_what_the_generator_writes()
    {
        var path = Path.Combine(RepoPaths.RepoRoot, ValuesSchema.RepositoryPath);
        Assert.True(File.Exists(path), $"{ValuesSchema.RepositoryPath} is missing; write it with: {Regenerate}");
        Assert.True(File.ReadAllText(path) == ValuesSchema.Write(),
            $"{ValuesSchema.RepositoryPath} differs from what the key tables say; regenerate it with: {Regenerate}");
    }

    public static TheoryData<string> ValidCases()
    {
        // the bundled examples are valid cases verbatim (CaseCatalogTests); the layered ones are judged as merged
        var data = CaseFiles.Theory(CaseFiles.Valid);
        foreach (var name in CaseFiles.Names(LayeredCaseTests.Layered).Where(n => CaseFiles.ReadOptional(LayeredCaseTests.Layered, n, LayeredCaseTests.MergedFile) is not null))
        {
            data.Add(LayeredCaseTests.Layered + "/" + name);
        }

        return data;
    }

    public static TheoryData<string> InvalidCases() => CaseFiles.Theory(CaseFiles.Invalid);

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Every_accepted_values_document_passes_the_schema(string name)
    {
        var text = name.StartsWith(LayeredCaseTests.Layered + "/", StringComparison.Ordinal)
            ? CaseFiles.ReadOptional(LayeredCaseTests.Layered, name[(LayeredCaseTests.Layered.Length + 1)..], LayeredCaseTests.MergedFile)!
            : ValuesText(CaseFiles.Valid, name)!;
        var errors = Errors(Read(text)!);
        Assert.True(errors.Count == 0, $"{name} is valid, but the schema says:\n  " + string.Join("\n  ", errors));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Every_values_document_the_binder_refuses_for_its_shape_fails_the_schema(string name)
    {
        var root = ValuesText(CaseFiles.Invalid, name) is { } text ? Read(text) : null;
        if (root is null)
        {
            return; // not YAML, or refused by the reader's bounds: nothing for a schema to judge
        }

        var bag = new DiagnosticBag();
        ValuesBinder.Bind(root, bag);
        var shape = bag.Items.Where(d => d.IsError).ToList();
        var errors = Errors(root);
        if (shape.Count > 0)
        {
            Assert.True(errors.Count > 0, $"{name}: the binder refuses its shape, the schema accepts it:\n  " + string.Join("\n  ", shape));
        }
    }

    [Fact]
    public void The_shape_cases_are_many_and_of_every_kind()
    {
        // the theory above is only as good as the cases it finds with shape errors
        var perCase = CaseFiles.Names(CaseFiles.Invalid)
            .Select(n => ValuesText(CaseFiles.Invalid, n) is { } text ? Read(text) : null)
            .OfType<YNode>()
            .Select(root =>
            {
                var bag = new DiagnosticBag();
                ValuesBinder.Bind(root, bag);
                return bag.Items.Where(d => d.IsError).Select(d => d.Message).ToList();
            })
            .Where(m => m.Count > 0)
            .ToList();
        Assert.True(perCase.Count >= 40, $"only {perCase.Count} invalid cases are refused for their shape");
        var messages = perCase.SelectMany(m => m).ToList();
        foreach (var kind in new[] { "unknown key", "expected a string", "expected an integer", "expected true or false", "expected a mapping", "expected a list", "required field", "is null", "expected a duration" })
        {
            Assert.Contains(messages, m => m.Contains(kind, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("gatewayRef: {name: g}\nbackends: {a: {resourceName: a, schema: OpenAI, fqdn: {hostname: h.example.com, port: 443}, colour: red}}\n", "/backends/a")]
    [InlineData("gatewayRef: {name: g}\nmodels: {m: {backends: {one: {ref: a, weight: heavy}}}}\n", "/models/m/backends/one/weight")]
    [InlineData("gatewayRef: {name: g}\nmodels: {m: {timeout: 30}}\n", "/models/m")]
    [InlineData("backends: {}\n", "")]
    [InlineData("gatewayRef: {name: g}\nx-anything: {goes: [here]}\nmodels: {m: {enabled: true, backends: {}}}\n", null)]
    public void The_schema_judges_single_documents_as_the_binder_does(string yaml, string? failingAt)
    {
        var root = Read(yaml)!;
        var errors = Errors(root);
        var bag = new DiagnosticBag();
        ValuesBinder.Bind(root, bag);
        Assert.Equal(failingAt is not null, bag.HasErrors);
        if (failingAt is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(failingAt + ":", StringComparison.Ordinal) || e.StartsWith(failingAt + "/", StringComparison.Ordinal));
        }
    }

    /// <summary>A case's values text: its values.yaml, or the values of its ConfigMap; null when the ConfigMap holds none.</summary>
    private static string? ValuesText(string kind, string name)
    {
        if (CaseFiles.ReadOptional(kind, name, CaseFiles.ValuesFile) is { } values)
        {
            return values;
        }

        var manifest = BoundedYamlReader.Read(CaseFiles.ReadOptional(kind, name, CaseFiles.ConfigMapFile)!, "the manifest");
        return manifest.Ok ? ConfigMapReader.Read(manifest.Root!).Document?.ValuesYaml : null;
    }

    private static YNode? Read(string yaml)
    {
        var parsed = BoundedYamlReader.Read(yaml, "the values");
        return parsed.Ok ? parsed.Root : null;
    }

    /// <summary>Every failing keyword, as "instance location: message".</summary>
    private static List<string> Errors(YNode root)
    {
        var json = ChartConverter.ToJson(root)?.ToJsonString() ?? "null";
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))];
    }
}
