using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Layers;
using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// Values given in layers, as <c>helm install -f base.yaml -f prod.yaml --set …</c> gives them: each directory under
/// <c>Cases/layered</c> holds the files, <c>args.txt</c> (one <c>-f FILE</c>, <c>--set EXPR</c> or <c>--set-string EXPR</c>
/// per line, as typed after the command), <c>expected.txt</c> (as in valid/ and invalid/: a case that lists an error
/// must be rejected with exactly those errors), and for an accepted case <c>expected.merged.yaml</c> (the merged values
/// written out) and <c>expected.golden.yaml</c> (the render). <c>secrets.txt</c>, optional: strings no finding may
/// repeat. <c>UPDATE_GOLDEN=1</c> rewrites the two goldens.
/// </summary>
public sealed class LayeredCaseTests
{
    public const string Layered = "layered";
    private const string ArgsFile = "args.txt";
    public const string MergedFile = "expected.merged.yaml";

    public static TheoryData<string> Cases() => CaseFiles.Theory(Layered);

    [Fact]
    public void There_are_layered_cases_and_the_output_holds_exactly_those_of_the_source_tree()
    {
        var source = CaseFiles.Names(Layered, CaseFiles.SourceRoot);
        Assert.True(source.Count >= 6, $"only {source.Count} layered cases");
        Assert.Equal(source, CaseFiles.Names(Layered));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layered_case_has_exactly_the_expected_findings(string name)
    {
        var expected = ExpectedLine.Parse(CaseFiles.ReadOptional(Layered, name, CaseFiles.ExpectedFile));
        var (layers, evaluation) = Evaluate(name);
        var rejected = expected.Any(e => e.Severity == Severity.Error);
        var problems = new List<string>();
        if (rejected == evaluation.IsValid)
        {
            problems.Add(rejected ? "the values were accepted" : "the values were rejected");
        }

        problems.AddRange(ExpectedMatcher.Problems(evaluation.Diagnostics, expected, Severity.Error));
        problems.AddRange(ExpectedMatcher.Problems(evaluation.Diagnostics, expected, Severity.Warning));
        foreach (var secret in Lines(CaseFiles.ReadOptional(Layered, name, CaseFiles.SecretsFile)))
        {
            problems.AddRange(evaluation.Diagnostics.Where(d => d.ToString().Contains(secret, StringComparison.OrdinalIgnoreCase)).Select(d => $"repeats a secret: {ExpectedLine.Format(d)}"));
        }

        Assert.True(problems.Count == 0,
            $"layered/{name}:\n  {string.Join("\n  ", problems.Distinct())}\nall diagnostics:\n  {string.Join("\n  ", evaluation.Diagnostics.Select(ExpectedLine.Format))}");
        Assert.Equal(evaluation.IsValid, layers.Ok && CaseFiles.ReadOptional(Layered, name, CaseFiles.GoldenFile) is not null);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Accepted_layered_case_merges_and_renders_its_golden_files(string name)
    {
        var (layers, evaluation) = Evaluate(name);
        if (!evaluation.IsValid)
        {
            Assert.Null(CaseFiles.ReadOptional(Layered, name, MergedFile));
            return;
        }

        Golden(name, MergedFile, ValuesLayering.WriteOut(layers.Root!));
        Golden(name, CaseFiles.GoldenFile, CaseFiles.Render(evaluation.Model!));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_merged_values_written_out_mean_what_the_layers_mean(string name)
    {
        // diff and convert send the merged values as one text: read alone, it must render the same objects
        var (layers, evaluation) = Evaluate(name);
        if (!evaluation.IsValid)
        {
            return;
        }

        var text = ValuesLayering.WriteOut(layers.Root!);
        var single = ValuesEvaluator.Evaluate(new Input.ValuesDocument(CaseFiles.RawNamespace, CaseFiles.RawName, text));
        Assert.True(single.IsValid, string.Join("\n", single.Diagnostics));
        Assert.Equal(CaseFiles.Render(evaluation.Model!), CaseFiles.Render(single.Model!));
        Assert.Equal(evaluation.ValuesHash, single.ValuesHash);
    }

    private static void Golden(string name, string file, string actual)
    {
        if (Environment.GetEnvironmentVariable(ValidCaseTests.UpdateGoldenVariable) == "1")
        {
            File.WriteAllText(Path.Combine(CaseFiles.SourceRoot, Layered, name, file), actual);
            return;
        }

        var golden = CaseFiles.ReadOptional(Layered, name, file);
        Assert.True(golden is not null, $"layered/{name} has no {file}; run with {ValidCaseTests.UpdateGoldenVariable}=1 and review it");
        Assert.True(golden == actual, $"layered/{name}: differs from {file} (run with {ValidCaseTests.UpdateGoldenVariable}=1 to accept)\n{GoldenDiff.Excerpt(golden!, actual)}");
    }

    private static (LayeredValues Layers, Evaluation Evaluation) Evaluate(string name)
    {
        var files = new List<ValuesFile>();
        var set = new List<string>();
        var setString = new List<string>();
        var args = CaseFiles.ReadOptional(Layered, name, ArgsFile) ?? throw new InvalidOperationException($"layered/{name} has no {ArgsFile}");
        foreach (var line in Lines(args))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (option, value) = (line[..space], line[(space + 1)..]);
            switch (option)
            {
                case "-f":
                    files.Add(new ValuesFile(value, File.ReadAllText(Path.Combine(CaseFiles.Dir(Layered, name), value))));
                    break;
                case "--set":
                    set.Add(value);
                    break;
                case "--set-string":
                    setString.Add(value);
                    break;
                default:
                    throw new InvalidOperationException($"layered/{name}/{ArgsFile}: unknown option {option}");
            }
        }

        var layers = ValuesLayering.Read(files, set, setString);
        return (layers, ValuesEvaluator.Evaluate(CaseFiles.RawNamespace, CaseFiles.RawName, layers));
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#'));

    [Fact]
    public void Secrets_planted_in_layered_cases_look_like_credentials()
    {
        var planted = CaseFiles.Names(Layered).SelectMany(n => Lines(CaseFiles.ReadOptional(Layered, n, CaseFiles.SecretsFile))).ToList();
        Assert.NotEmpty(planted);
        Assert.All(planted, s => Assert.True(CredentialDetector.LooksLikeCredential(s), s));
    }
}
