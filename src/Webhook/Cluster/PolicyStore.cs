using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Webhook.Observability;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Cluster;

/// <summary>
/// The policy in force. Starts with the default policy; <see cref="Apply"/> replaces it with each new version of the
/// policy ConfigMap that the engine's <see cref="PolicyReader"/> accepts. A broken version keeps the last good policy and
/// is reported in the log, in the metric <c>webhook_policy_valid</c> and by <c>/readyz</c>.
/// </summary>
public sealed partial class PolicyStore(ILogger<PolicyStore> logger, WebhookMetrics metrics)
{
    private State state = new(ModelsPolicy.Default, 0, "default policy (no policy ConfigMap)", null);

    public ModelsPolicy Current => Volatile.Read(ref state).Policy;

    /// <summary>Increases with every applied policy; cached judgements of other ConfigMaps are keyed by it.</summary>
    public long Generation => Volatile.Read(ref state).Generation;

    /// <summary>The policy in force and its generation, read together.</summary>
    public (ModelsPolicy Policy, long Generation) Snapshot
    {
        get
        {
            var s = Volatile.Read(ref state);
            return (s.Policy, s.Generation);
        }
    }

    public string Source => Volatile.Read(ref state).Source;

    /// <summary>Null when the policy ConfigMap in the cluster is the one in force; else why it is not.</summary>
    public string? Problem => Volatile.Read(ref state).Problem;

    /// <summary>Applies a policy ConfigMap's <c>policy.yaml</c>; null text (no ConfigMap, or no key) means the default policy.</summary>
    public bool Apply(string? text, string source)
    {
        var old = Volatile.Read(ref state);
        if (text is null)
        {
            Volatile.Write(ref state, new State(ModelsPolicy.Default, old.Generation + 1, source + " (absent: default policy)", null));
            metrics.PolicyLoaded();
            LogApplied(logger, source + " (absent: default policy)");
            return true;
        }

        var (policy, diagnostics) = PolicyReader.Read(text);
        if (policy is null)
        {
            // Diagnostics name paths and bad values through Shown: no secret can reach the log.
            var problem = $"{source} is invalid, keeping {old.Source}: " + string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
            Volatile.Write(ref state, old with { Problem = problem });
            metrics.PolicyRejected();
            LogRejected(logger, problem);
            return false;
        }

        Volatile.Write(ref state, new State(policy, old.Generation + 1, source, null));
        metrics.PolicyLoaded();
        LogApplied(logger, source);
        foreach (var warning in diagnostics.Where(d => !d.IsError))
        {
            LogPolicyWarning(logger, warning.ToString());
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "policy applied: {Source}")]
    private static partial void LogApplied(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "policy refused: {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "policy warning: {Warning}")]
    private static partial void LogPolicyWarning(ILogger logger, string warning);

    private sealed record State(ModelsPolicy Policy, long Generation, string Source, string? Problem);
}
