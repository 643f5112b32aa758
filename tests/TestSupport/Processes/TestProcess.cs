using System.Collections.Concurrent;
using System.Diagnostics;

namespace AiGatewayModels.TestSupport.Processes;

/// <summary>
/// The one way tests start a process (a test scans the sources for any other):
/// <list type="bullet">
/// <item>the program must be named in hack/programs.tsv (scope "test"), which the scripts install on a fresh machine,
/// so a test that needs something new fails on the developer's machine too, not first on a clean one;</item>
/// <item>every child gets the parent-death signal: it runs under <c>setpriv --pdeathsig KILL</c>, so a test host
/// killed by SIGKILL takes etcd, the apiserver and the rest with it.</item>
/// </list>
/// Linux sends the parent-death signal when the <em>thread</em> that forked the child exits, not the process, and .NET
/// forks on the thread that calls <see cref="Process.Start()"/>: a thread-pool thread that later retires would kill
/// a healthy child. So every start is handed to one dedicated thread that lives as long as the process.
/// </summary>
public static class TestProcess
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];
    private static readonly Thread Spawner = StartSpawner();

    /// <summary>The thread every child is forked from (tests check that it outlives the threads that ask).</summary>
    public static int SpawnerThreadId => Spawner.ManagedThreadId;

    /// <summary>
    /// Starts <paramref name="info"/> (its FileName a listed program) under setpriv. The returned process is the program
    /// itself (setpriv execs it: same PID), so killing it by PID stops exactly it.
    /// </summary>
    public static Process Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check(info.FileName);
        var wrapped = new ProcessStartInfo("setpriv")
        {
            UseShellExecute = false,
            RedirectStandardInput = info.RedirectStandardInput,
            RedirectStandardOutput = info.RedirectStandardOutput,
            RedirectStandardError = info.RedirectStandardError,
            WorkingDirectory = info.WorkingDirectory,
        };
        foreach (var argument in (string[])["--pdeathsig", "KILL", "--", info.FileName])
        {
            wrapped.ArgumentList.Add(argument);
        }

        foreach (var argument in info.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in info.Environment)
        {
            wrapped.Environment[key] = value;
        }

        var process = new Process { StartInfo = wrapped, EnableRaisingEvents = true };
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        try
        {
            started.Task.GetAwaiter().GetResult();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return process;
    }

    /// <summary>Runs a short command to its end: exit code, stdout and stderr; killed (by its PID) after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> arguments, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Start(info);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not finish in {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Throws unless hack/programs.tsv names the program for the tests.</summary>
    public static void Check(string program)
    {
        var name = Path.GetFileName(program);
        if (!ProgramList.ForTests.Contains(name))
        {
            throw new InvalidOperationException(
                $"a test starts {program}, which {ProgramList.Path} does not name for the scope \"test\": add it with the Debian package that provides it, " +
                "so that hack/install-deps.sh installs it on a fresh machine");
        }
    }

    private static Thread StartSpawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true, // never keeps the test host alive; exits with it
            Name = "test-process-spawner",
        };
        thread.Start();
        return thread;
    }
}
