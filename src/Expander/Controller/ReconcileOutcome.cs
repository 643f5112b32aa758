using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Controller;

internal enum ReconcileResult
{
    /// <summary>In sync (or nothing can be done until the values change).</summary>
    Done,

    /// <summary>Something is not right yet (a conflict, a missing Secret, a failed write): retry with backoff.</summary>
    Retry,
}

/// <summary>An Event to record on the values ConfigMap.</summary>
internal sealed record OutcomeEvent(string Reason, string Message, bool Warning);

/// <summary>
/// What one reconcile found and did, filled in phase by phase: the one source of its status annotation, its Events,
/// its log line, its metrics and its result, so that none of them can tell a different story.
/// </summary>
internal sealed class ReconcileOutcome(ValuesConfigMap configMap)
{
    private const int MaxListed = 5;
    private readonly List<OutcomeEvent> events = [];

    public ValuesConfigMap ConfigMap { get; } = configMap;

    /// <summary>The values hash the engine computed (null when the values were not read).</summary>
    public string? ValuesHash { get; set; }

    /// <summary>Why nothing was applied (unmarked ConfigMap, no values, invalid values); null when the values were used.</summary>
    public string? Invalid { get; private set; }

    public int Desired { get; set; }

    public IReadOnlyList<ResourceKind> SkippedKinds { get; set; } = [];

    /// <summary>
    /// The named Secrets that cannot be used (missing, without the key or the credential label, a service-account token),
    /// one message each whatever the reason; each withholds its backend's BackendSecurityPolicy.
    /// </summary>
    public IReadOnlyList<string> UnusableSecrets { get; set; } = [];

    /// <summary>An unusable Secret is the source of a projection: the last projected copy must not be pruned.</summary>
    public bool ProjectionSourceUnusable { get; set; }

    /// <summary>Objects the engine left out because the cluster's versions cannot express them (one message each).</summary>
    public IReadOnlyList<string> Omitted { get; set; } = [];

    /// <summary>The claims decided for these values: those lost to an older ConfigMap withhold their objects.</summary>
    public ClaimOutcome Claims { get; set; } = ClaimOutcome.None;

    public IReadOnlyList<ApplyOutcome> Applies { get; set; } = [];

    public IReadOnlyList<string> Pruned { get; set; } = [];

    public IReadOnlyList<OutcomeEvent> Events => events;

    public int Applied => Applies.Count(a => a.Status == ApplyStatus.Applied);

    public int Unchanged => Applies.Count(a => a.Status == ApplyStatus.Unchanged);

    public int Conflicts => Applies.Count(a => a.Status == ApplyStatus.Conflict);

    public int Failed => Applies.Count(a => a.Status == ApplyStatus.Failed);

    /// <summary>
    /// Every desired object applied or in sync and no projection source missing: the only state in which pruning is safe
    /// (an unusable Secret that is only referenced prunes nothing but its withheld BackendSecurityPolicy, so it does not stop the prune).
    /// </summary>
    public bool Complete => Invalid is null && Conflicts == 0 && Failed == 0 && !ProjectionSourceUnusable;

    /// <summary>Complete, nothing the gateway needs is missing and no claim lost: what the status annotation calls ready.</summary>
    public bool Ready => Complete && UnusableSecrets.Count == 0 && Omitted.Count == 0 && Claims.Lost.Count == 0;

    /// <summary>Invalid values are done (retrying changes nothing until they change); anything not ready is retried.</summary>
    public ReconcileResult Result => Invalid is not null || Ready ? ReconcileResult.Done : ReconcileResult.Retry;

    public void Event(string reason, string message, bool warning) => events.Add(new OutcomeEvent(reason, message, warning));

    public void Reject(string message)
    {
        Invalid = message;
        Event(EventReasons.Invalid, message, warning: true);
    }

    /// <summary>The Events of the apply and prune phases, from their results.</summary>
    public void RecordApplyEvents()
    {
        var applied = Applies.Where(o => o.Status == ApplyStatus.Applied).ToList();
        if (applied.Count > 0)
        {
            var kinds = string.Join(", ", applied.GroupBy(o => o.Desired.Kind.Kind).Select(g => $"{g.Count()} {g.Key}"));
            Event(EventReasons.Applied, $"applied {applied.Count} of {Desired} objects ({kinds}) for values {ValuesHash}", false);
        }

        foreach (var c in Applies.Where(o => o.Status == ApplyStatus.Conflict))
        {
            Event(EventReasons.Conflict, c.Detail!, true);
        }

        var failed = Applies.Where(o => o.Status == ApplyStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            Event(EventReasons.Failed, $"{failed.Count} objects could not be applied, retrying: " + string.Join("; ", failed.Take(MaxListed).Select(f => f.Detail)), true);
        }
    }

    public void RecordPruneEvent()
    {
        if (Pruned.Count > 0)
        {
            Event(EventReasons.Pruned, $"deleted {Pruned.Count} objects no longer in the values: " + string.Join(", ", Pruned.Take(20)) + (Pruned.Count > 20 ? ", …" : string.Empty), false);
        }
    }

    /// <summary>The status annotation's message.</summary>
    public string Message => Invalid
        ?? (Claims.Lost.Count > 0
            ? $"Conflict: {Claims.Lost[0].Message}" + (Claims.Lost.Count > 1 ? $" (and {Claims.Lost.Count - 1} more lost claims)" : string.Empty) + $"; {Claims.Withheld.Count} objects withheld"
            : Ready
            ? $"{Desired} objects in sync" + (SkippedKinds.Count > 0 ? $"; kinds not served: {string.Join(", ", SkippedKinds.Select(k => k.Kind))}" : string.Empty)
            : $"not in sync: {Conflicts} conflicts, {UnusableSecrets.Count} unusable Secrets, {Failed} failed writes, {Omitted.Count} objects the cluster's versions cannot express"
              + (Complete ? string.Empty : "; nothing pruned"));

    public JsonObject Status(DateTime now) => StatusAnnotation.Build(ValuesHash, Ready, Message,
        Invalid is not null ? null : new ObjectCounts(Desired, Applied + Unchanged, Conflicts + Claims.Lost.Count, UnusableSecrets.Count, SkippedKinds.Count), now,
        Invalid is null && Claims.Lost.Count > 0 ? EventReasons.Conflict : null);

    /// <summary>The log line, when there is something to say (a no-op resync says nothing).</summary>
    public (bool Warning, string Text)? LogLine => Invalid is not null
        ? (true, $"{ConfigMap.Key}: {Invalid}")
        : Applied > 0 || Pruned.Count > 0 || !Ready
            ? (false, $"reconciled {ConfigMap.Key}: {Applied} applied, {Unchanged} unchanged, {Conflicts} conflicts, {Claims.Lost.Count} lost claims, {Failed} failed, {UnusableSecrets.Count} unusable Secrets, {Pruned.Count} pruned")
            : null;
}
