using System.Runtime.InteropServices;

namespace AiGatewayModels.TestSupport.Processes;

/// <summary>Signals to one process by its PID, through kill(2): no <c>kill</c> program to start (and to list).</summary>
public static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to exactly <paramref name="pid"/>; false when no such process exists.</summary>
    public static bool Send(int pid, int signal)
    {
        if (pid <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "a single process: never a group (0) or every process (-1)");
        }

        return Kill(pid, signal) == 0;
    }

    /// <summary>True while a process with this PID exists (and is not a zombie waiting for its parent).</summary>
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        try
        {
            return File.ReadLines(status).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) is { } state && !state.Contains("zombie", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
