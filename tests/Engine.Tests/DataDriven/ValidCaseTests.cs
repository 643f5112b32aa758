using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// Each directory under Cases/valid is one test: no errors, exactly the listed warnings, and render output equal to
/// expected.golden.yaml byte for byte. <c>UPDATE_GOLDEN=1</c> rewrites the goldens in the source tree instead.
/// </summary>
public sealed class ValidCaseTests
{
    public const string UpdateGoldenVariable = "UPDATE_GOLDEN";

    public static TheoryData<string> Cases() => CaseFiles.Theory(CaseFiles.Valid);

    private static bool UpdatingGoldens => Environment.GetEnvironmentVariable(UpdateGoldenVariable) == "1";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Valid_case_has_no_errors_and_exactly_the_expected_warnings(string name)
    {
        var expected = ExpectedLine.Parse(CaseFiles.ReadOptional(CaseFiles.Valid, name, CaseFiles.ExpectedFile));
        Assert.True(expected.All(e => e.Severity == Severity.Warning), $"valid/{name}/{CaseFiles.ExpectedFile} lists an error; move the case to invalid/");

        var result = CaseFiles.Evaluate(CaseFiles.Valid, name);
        var problems = new List<string>();
        if (!result.IsValid)
        {
            problems.Add("the values were rejected");
        }

        problems.AddRange(result.Diagnostics.Where(d => d.IsError).Select(d => "unexpected " + ExpectedLine.Format(d)));
        problems.AddRange(ExpectedMatcher.Problems(result.Diagnostics, expected, Severity.Warning));
        Assert.True(problems.Count == 0,
            $"valid/{name}:\n  {string.Join("\n  ", problems)}\nall diagnostics:\n{result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Valid_case_renders_its_golden_file_and_renders_the_same_twice(string name)
    {
        var first = RenderCase(name);
        var second = RenderCase(name);
        Assert.True(first == second, $"valid/{name}: two evaluations rendered different text\n{GoldenDiff.Excerpt(first, second)}");

        if (UpdatingGoldens)
        {
            var target = Path.Combine(CaseFiles.SourceRoot, CaseFiles.Valid, name, CaseFiles.GoldenFile);
            Assert.True(Directory.Exists(Path.GetDirectoryName(target)), $"valid/{name} is not in the source tree at {target}");
            File.WriteAllText(target, first);
            return;
        }

        var golden = CaseFiles.ReadOptional(CaseFiles.Valid, name, CaseFiles.GoldenFile);
        Assert.True(golden is not null, $"valid/{name} has no {CaseFiles.GoldenFile}; run the tests with {UpdateGoldenVariable}=1 to write it, then review it");
        Assert.True(golden == first,
            $"valid/{name}: render output differs from {CaseFiles.GoldenFile} (run with {UpdateGoldenVariable}=1 to accept the new output)\n{GoldenDiff.Excerpt(golden!, first)}");
    }

    private static string RenderCase(string name)
    {
        var result = CaseFiles.Evaluate(CaseFiles.Valid, name);
        Assert.True(result.Model is not null, $"valid/{name} was rejected:\n{result.Describe()}");
        var text = CaseFiles.Render(result.Model!);
        Assert.False(string.IsNullOrWhiteSpace(text), $"valid/{name} rendered nothing");
        return text;
    }
}
