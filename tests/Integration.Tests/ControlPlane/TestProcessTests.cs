using System.Diagnostics;
using System.Globalization;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport.Processes;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// A test host killed by SIGKILL leaves nothing running: a stand-in host (tests/ProcessHost) starts etcd and a sleeper
/// through <see cref="TestProcess"/>, from a thread that exits at once (the thread whose exit would fire a naive
/// parent-death signal), and checks they outlived it; then the host is killed with SIGKILL and both children must go.
/// </summary>
public sealed class TestProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Children_outlive_the_thread_that_started_them_and_die_with_a_host_killed_by_SIGKILL()
    {
        var dir = Directory.CreateTempSubdirectory("process-host-").FullName;
        var ports = FreePorts.Take(2);
        var info = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "ProcessHost.dll"), "children", dir, ports[0].ToString(CultureInfo.InvariantCulture), ports[1].ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(a);
        }

        using var host = TestProcess.Start(info);
        int[] children = [];
        try
        {
            using var firstLine = new CancellationTokenSource(Bound);
            var line = await host.StandardOutput.ReadLineAsync(firstLine.Token) ?? "(no output)";
            Assert.True(line.StartsWith("alive ", StringComparison.Ordinal), "the host says: " + line + Logs(dir));
            children = [.. line["alive ".Length..].Split(' ').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
            Assert.Equal(2, children.Length);
            foreach (var child in children)
            {
                Assert.True(Signals.IsAlive(child), $"child {child} is not running" + Logs(dir));
                Assert.Equal(host.Id, ParentOf(child)); // the host's own children, not something else's
            }

            Assert.True(Signals.Send(host.Id, Signals.SigKill));
            await Eventually.UntilAsync(() => Task.FromResult(children.All(c => !Signals.IsAlive(c))), Bound, "the children of the killed host are gone");
        }
        finally
        {
            foreach (var child in children.Where(Signals.IsAlive))
            {
                Signals.Send(child, Signals.SigKill); // only if the test failed: by PID, never by name
            }

            if (!host.HasExited)
            {
                host.Kill();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static int ParentOf(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))["PPid:".Length..].Trim(), CultureInfo.InvariantCulture);

    private static string Logs(string dir) =>
        string.Concat(Directory.EnumerateFiles(dir, "*.log").Select(f => $"\n--- {Path.GetFileName(f)}\n" + string.Join('\n', File.ReadLines(f).TakeLast(10))));
}
