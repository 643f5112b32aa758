using System.Diagnostics;
using AiGatewayModels.TestSupport.Processes;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// One child process of the control plane, started by <see cref="TestProcess"/> (listed, with the parent-death signal).
/// Its stdout and stderr go to a log file; <see cref="Dispose"/> kills exactly this process (by its own PID, never by
/// name) and waits until it has exited.
/// </summary>
public sealed class ProcessHandle : IDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock logLock = new();
    private bool disposed;
    private bool logClosed;

    private ProcessHandle(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static ProcessHandle Start(string name, string executable, IEnumerable<string> arguments, string logPath)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(logPath)!,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        Process process;
        try
        {
            process = TestProcess.Start(startInfo);
        }
        catch
        {
            log.Dispose();
            throw;
        }

        var handle = new ProcessHandle(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => handle.Write(e.Data);
        process.ErrorDataReceived += (_, e) => handle.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    /// <summary>The last <paramref name="lines"/> lines of the log (empty when there is none yet).</summary>
    public string Tail(int lines = 40) => LogTail(LogPath, lines);

    public static string LogTail(string path, int lines = 40)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        // the writer may still hold the file open: share it
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.TakeLast(lines));
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            if (!process.WaitForExit(ExitWait))
            {
                throw new InvalidOperationException($"{Name} (pid {process.Id}) did not exit within {ExitWait.TotalSeconds} s after SIGKILL");
            }

            process.WaitForExit(); // drains the output events
        }
        finally
        {
            process.Dispose();
            lock (logLock)
            {
                logClosed = true;
                log.Dispose();
            }
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logLock)
        {
            if (!logClosed)
            {
                log.WriteLine(line);
            }
        }
    }
}
