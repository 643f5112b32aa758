using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Repository.Tests;

/// <summary>
/// The policy is documented in two places, README "Policy" and the commented policy ConfigMap of deploy/manifests: both
/// must be policies the engine reads, so that a renamed or new key cannot leave them behind, and the ceilings they show
/// are the defaults.
/// </summary>
public sealed partial class PolicyDocumentationTests
{
    [Fact]
    public void The_README_policy_example_is_a_policy_and_shows_the_default_ceilings()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("\n## Policy\n", StringComparison.Ordinal)..];
        var example = YamlBlock().Match(section).Groups[1].Value;
        var (policy, diagnostics) = PolicyReader.Read(example);
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.Equal(SizeCeilings.Default, policy.Ceilings);
    }

    [Fact]
    public void The_commented_policy_ConfigMap_uncommented_is_a_policy_with_the_default_ceilings()
    {
        var cm = YamlJson.ReadObjectsFromFile(Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests", "policy.yaml")).Single();
        var text = (string)((JsonObject)cm["data"]!)[PolicyReader.DataKey]!;
        var uncommented = string.Join('\n', text.Split('\n').Select(l => CommentedSetting().Replace(l, "$1")));
        Assert.Contains("ceilings:", uncommented, StringComparison.Ordinal);
        var (policy, diagnostics) = PolicyReader.Read(uncommented);
        Assert.Empty(diagnostics);
        Assert.NotNull(policy);
        Assert.Equal(SizeCeilings.Default, policy.Ceilings);
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    /// <summary>"# key: value" (at any indentation) → "key: value"; comment-only lines stay comments.</summary>
    [GeneratedRegex(@"^# (\s*[A-Za-z]+:.*)$")]
    private static partial Regex CommentedSetting();
}
