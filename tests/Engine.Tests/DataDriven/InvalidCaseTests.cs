using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>Each directory under Cases/invalid is one test: the values are rejected with exactly the listed errors.</summary>
public sealed class InvalidCaseTests
{
    public static TheoryData<string> Cases() => CaseFiles.Theory(CaseFiles.Invalid);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_case_is_rejected_with_exactly_the_expected_errors(string name)
    {
        var expected = ExpectedLine.Parse(CaseFiles.ReadOptional(CaseFiles.Invalid, name, CaseFiles.ExpectedFile)
            ?? throw new InvalidOperationException($"invalid/{name} has no {CaseFiles.ExpectedFile}"));
        Assert.True(expected.Any(e => e.Severity == Severity.Error), $"invalid/{name}/{CaseFiles.ExpectedFile} lists no error");

        var result = CaseFiles.Evaluate(CaseFiles.Invalid, name);
        var problems = new List<string>();
        if (result.IsValid)
        {
            problems.Add("the values were accepted");
        }

        problems.AddRange(ExpectedMatcher.Problems(result.Diagnostics, expected, Severity.Error));
        Assert.True(problems.Count == 0,
            $"invalid/{name}:\n  {string.Join("\n  ", problems)}\nall diagnostics:\n{result.Describe()}");
    }
}
