using System.Text.RegularExpressions;
using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Processes;
using Xunit;

namespace AiGatewayModels.Repository.Tests;

/// <summary>
/// Every program a test starts is in hack/programs.tsv (so the scripts install it on a fresh machine) and gets the
/// parent-death signal: TestProcess enforces both, and these tests make sure nothing goes around it.
/// </summary>
public sealed partial class ProcessRulesTests
{
    [Fact]
    public void No_test_code_starts_a_process_except_through_TestProcess()
    {
        var helper = Path.Combine("tests", "TestSupport", "Processes", "TestProcess.cs");
        var offenders = SourceFiles.Under("tests")
            .Where(f => !f.EndsWith(helper, StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && StartsAProcess().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(RepoPaths.RepoRoot, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "start processes with TestProcess.Start or TestProcess.RunAsync (listed programs, parent-death signal):\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TestProcess_refuses_a_program_the_list_does_not_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TestProcess.Check("/usr/bin/not-in-the-program-list"));
        Assert.Contains("not-in-the-program-list", e.Message, StringComparison.Ordinal);
        Assert.Contains("hack/programs.tsv", e.Message, StringComparison.Ordinal);
        TestProcess.Check("/usr/bin/etcd"); // a listed one, by path or by name
        TestProcess.Check("kubectl");
    }

    [Fact]
    public void Every_Debian_package_the_tests_need_is_installed_here()
    {
        // hack/test.sh installs them (hack/install-deps.sh test); a test run without it says what is missing
        var missing = ProgramList.Rows
            .Where(r => r.Scope == "test" && r.Package != "-" && r.Program != "-" && OnPath(r.Program) is null)
            .Select(r => $"{r.Program} (Debian package {r.Package})")
            .ToList();
        Assert.True(missing.Count == 0, "not installed: " + string.Join(", ", missing) + "; run hack/install-deps.sh test (hack/test.sh does)");
    }

    [Fact]
    public void The_scripts_install_only_scopes_the_list_has_and_every_scope_is_installed_by_a_script()
    {
        var scopes = ProgramList.Rows.Select(r => r.Scope).ToHashSet(StringComparer.Ordinal);
        var used = SourceFiles.Scripts()
            .SelectMany(File.ReadLines)
            .Where(line => !line.TrimStart().StartsWith('#'))
            .SelectMany(line => InstallDeps().Matches(line).SelectMany(m => m.Groups["scopes"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(s => !s.StartsWith('-'))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(used.Except(scopes));
        Assert.Empty(scopes.Except(used));
    }

    private static string? OnPath(string program) =>
        Path.IsPathRooted(program)
            ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    // Process.Start(...), new Process(), new Process { ... }: every way to get a child without TestProcess
    [GeneratedRegex(@"\bProcess\s*\.\s*Start\s*\(|\bnew\s+(System\.Diagnostics\.)?Process\s*[({]|\bnew\s+Process\s*$")]
    private static partial Regex StartsAProcess();

    [GeneratedRegex(@"install-deps\.sh""?(?<scopes>( +[a-z-]+)+)")]
    private static partial Regex InstallDeps();
}
