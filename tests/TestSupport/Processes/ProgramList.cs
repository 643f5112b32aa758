namespace AiGatewayModels.TestSupport.Processes;

/// <summary>
/// hack/programs.tsv: every external program the tests and scripts start, with the Debian package that provides it.
/// The scripts install from it (hack/install-deps.sh); <see cref="TestProcess"/> refuses a program it does not name.
/// </summary>
public static class ProgramList
{
    public static string Path { get; } = System.IO.Path.Combine(RepoPaths.RepoRoot, "hack", "programs.tsv");

    /// <summary>The rows: program (a name or an absolute path), Debian package ("-" for none), scope.</summary>
    public static IReadOnlyList<(string Program, string Package, string Scope)> Rows { get; } = Read();

    /// <summary>The names of the programs the tests may start (scope "test").</summary>
    public static IReadOnlySet<string> ForTests { get; } =
        Rows.Where(r => r.Scope == "test").Select(r => System.IO.Path.GetFileName(r.Program)).ToHashSet(StringComparer.Ordinal);

    private static List<(string, string, string)> Read() =>
        [.. File.ReadAllLines(Path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(f => f.Length >= 3 ? (f[0], f[1], f[2]) : throw new FormatException($"{Path}: a row needs program, package and scope: {string.Join(' ', f)}"))];
}
