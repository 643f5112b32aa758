using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Repository.Tests;

/// <summary>The repository's own files, for tests that read them as text.</summary>
internal static class SourceFiles
{
    /// <summary>Every C# file under <paramref name="dir"/> (relative to the repository), build output left out.</summary>
    public static IEnumerable<string> Under(string dir) =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, dir), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>The shell scripts: hack/, bench/ and CI's entry point.</summary>
    public static IEnumerable<string> Scripts() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, "hack"), "*.sh", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, "bench"), "*.sh"))
            .Append(Path.Combine(RepoPaths.RepoRoot, ".ci", "run"));
}
