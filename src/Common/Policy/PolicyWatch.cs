using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Common.Policy;

/// <summary>
/// The cluster policy of both programs: the ConfigMap <c>ai-gateway-models-policy</c> (data key <c>policy.yaml</c>) in
/// the program's own namespace, watched by name and read with the engine's <see cref="PolicyReader"/>. Absent: the
/// default policy. Last good wins: a broken version keeps the policy in force, and is reported in the log, in
/// <see cref="Problem"/> and in the metrics <c>PREFIX_policy_valid</c>, <c>PREFIX_policy_reloads_total</c> and
/// <c>PREFIX_policy_errors_total</c>. A relist that brings the same text changes nothing (the generation, which keys the
/// webhook's cached judgements, stays). <see cref="Changed"/> is raised after each applied version.
/// </summary>
public sealed class PolicyWatch : IListWatchHandler
{
    public const string DefaultName = "ai-gateway-models-policy";

    private readonly IKubeLog log;
    private readonly ListWatcher? watcher;
    private readonly string configMap;
    private readonly Counter<long> reloads;
    private readonly Counter<long> errors;
    private readonly Lock gate = new();
    private State state = new(ModelsPolicy.Default, 0, "default policy (no policy ConfigMap)", null, null);

    /// <param name="client">null: no cluster, the default policy (or what <see cref="Apply"/> is given) applies.</param>
    /// <param name="ns">the program's namespace; null: no policy ConfigMap is watched.</param>
    /// <param name="metricPrefix">"webhook" or "expander": the metrics' prefix.</param>
    public PolicyWatch(KubeClient? client, string? ns, string name, Meter meter, string metricPrefix, IKubeLog log)
    {
        ArgumentNullException.ThrowIfNull(meter);
        this.log = log;
        configMap = $"ConfigMap {ns}/{name}";
        reloads = meter.CreateCounter<long>(metricPrefix + "_policy_reloads_total", description: "Policy ConfigMap versions applied.");
        errors = meter.CreateCounter<long>(metricPrefix + "_policy_errors_total", description: "Policy ConfigMap versions refused (the last good policy stays in force).");
        reloads.Add(0); // seen at 0 from the start
        errors.Add(0);
        meter.CreateObservableGauge(metricPrefix + "_policy_valid", () => Problem is null ? 1 : 0,
            description: "1 when the policy ConfigMap in the cluster is the one in force, 0 when it is broken.");
        if (client is not null && ns is not null)
        {
            watcher = new ListWatcher(client, ApiResource.ConfigMaps, ns, null, "metadata.name=" + name, this, log, "policy ConfigMap");
        }
        else if (client is not null)
        {
            log.Warn("no namespace (--namespace or POD_NAMESPACE): the policy ConfigMap is not watched, the default policy applies");
        }
    }

    /// <summary>Raised after a new policy is in force (not for a refused version, nor for a relist of the same one).</summary>
    public event Action? Changed;

    public ModelsPolicy Current => Volatile.Read(ref state).Policy;

    /// <summary>Increases with every applied policy; cached judgements are keyed by it.</summary>
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

    /// <summary>Where the policy in force comes from.</summary>
    public string Source => Volatile.Read(ref state).Source;

    /// <summary>Null when the policy ConfigMap in the cluster is the one in force; else why it is not.</summary>
    public string? Problem => Volatile.Read(ref state).Problem;

    /// <summary>True once the policy ConfigMap has been listed (at once without a watch).</summary>
    public bool Synced => watcher?.Synced ?? true;

    /// <summary>The watch, for liveness; null without one.</summary>
    public ListWatcher? Watcher => watcher;

    public Task RunAsync(CancellationToken ct) => watcher?.RunAsync(ct) ?? Task.CompletedTask;

    void IListWatchHandler.Relisted(IReadOnlyList<JsonObject> items) => Apply(items.Count > 0 ? items[0] : null);

    void IListWatchHandler.Changed(string type, JsonObject item) => Apply(type == "DELETED" ? null : item);

    /// <summary>
    /// Applies a version of <c>policy.yaml</c>; null text (no ConfigMap) means the default policy. False when the
    /// version is refused (the last good policy stays) or is the one already seen.
    /// </summary>
    public bool Apply(string? text, string source)
    {
        Action? changed;
        lock (gate)
        {
            var old = state;
            if (old.Text == text && old.Generation > 0)
            {
                return false; // a relist, or a change of something else than policy.yaml
            }

            if (text is null)
            {
                state = new State(ModelsPolicy.Default, old.Generation + 1, source + " (absent: default policy)", null, null);
                reloads.Add(1);
                log.Info($"policy applied: {state.Source}");
            }
            else
            {
                var (policy, diagnostics) = PolicyReader.Read(text);
                if (policy is null)
                {
                    // diagnostics name paths and bad values through Shown: no secret can reach the log
                    var problem = $"{source} is invalid, keeping {old.Source}: " + string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
                    state = old with { Problem = problem, Text = text };
                    errors.Add(1);
                    log.Failure("policy refused: " + problem);
                    return false;
                }

                state = new State(policy, old.Generation + 1, source, null, text);
                reloads.Add(1);
                log.Info($"policy applied: {source}");
                foreach (var warning in diagnostics.Where(d => !d.IsError))
                {
                    log.Warn($"policy warning: {warning}");
                }
            }

            changed = Changed;
        }

        changed?.Invoke();
        return true;
    }

    private void Apply(JsonObject? item) =>
        Apply(item is null ? null : item.Obj("data").Str(PolicyReader.DataKey) ?? string.Empty,
            item is null ? configMap : $"{configMap} (resourceVersion {item.ResourceVersion()})");

    /// <summary>The policy in force and what was last seen in the cluster (<see cref="Text"/>: null for no ConfigMap).</summary>
    private sealed record State(ModelsPolicy Policy, long Generation, string Source, string? Problem, string? Text);
}
