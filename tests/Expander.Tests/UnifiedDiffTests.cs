using AiGatewayModels.Expander.Diff;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

public class UnifiedDiffTests
{
    [Fact]
    public void Equal_texts_have_no_diff() => Assert.Equal(string.Empty, UnifiedDiff.Of("a\nb\n", "a\nb\n", "x", "y"));

    [Fact]
    public void A_changed_line_is_one_hunk_with_three_lines_of_context_removals_first()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var after = before.Edit("line 10\n", "line ten\n");

        Assert.Equal(
            "--- live\n+++ desired\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n",
            UnifiedDiff.Of(before, after, "live", "desired"));
    }

    [Fact]
    public void Changes_far_apart_are_two_hunks_and_a_new_object_is_all_additions()
    {
        var before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"l{i}")) + "\n";
        var after = before.Edit("\nl2\n", "\nL2\n").Edit("l28\n", "L28\n");
        Assert.Equal(2, UnifiedDiff.Of(before, after, "a", "b").Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));

        Assert.Equal("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.Of(string.Empty, "x\ny\n", "a", "b"));
    }
}
