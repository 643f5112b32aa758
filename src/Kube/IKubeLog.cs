namespace AiGatewayModels.Kube;

/// <summary>
/// Where the client's loops (list-watch, leader election) and the shared policy watch report. The two programs log
/// differently (the expander writes its own lines to stay small under Native AOT, the webhook uses ASP.NET's ILogger),
/// so the loops take this much only. Messages carry names, counts and apiserver reasons, never object content.
/// </summary>
public interface IKubeLog
{
    void Info(string message);

    void Warn(string message);

    /// <summary>Something is broken and needs a person (an invalid policy, say).</summary>
    void Failure(string message);
}

/// <summary>A log that drops everything: for code run without a cluster (benchmarks, tests).</summary>
public sealed class NoKubeLog : IKubeLog
{
    public static NoKubeLog Instance { get; } = new();

    public void Info(string message)
    {
    }

    public void Warn(string message)
    {
    }

    public void Failure(string message)
    {
    }
}
