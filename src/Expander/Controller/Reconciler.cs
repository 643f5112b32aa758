using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Expander.Controller;

internal enum ReconcileResult
{
    /// <summary>In sync (or nothing can be done until the values change).</summary>
    Done,

    /// <summary>Something is not right yet (a conflict, a missing Secret, a failed write): retry with backoff.</summary>
    Retry,
}

/// <summary>
/// One values ConfigMap → its objects: values → rules (with the cluster policy) → desired objects (the engine) →
/// server-side apply of what differs → prune what is no longer desired (only when every apply succeeded) →
/// Events and the status annotation. Invalid values touch nothing.
/// </summary>
internal sealed class Reconciler(
    Kube.KubeClient client,
    ConfigMapWatcher configMaps,
    PolicySource policy,
    IDiscovery discovery,
    Applier applier,
    Pruner pruner,
    SecretProjector secrets,
    SourceSecretWatcher sourceSecrets,
    DriftWatcher? liveCache,
    EventRecorder events,
    ControllerMetrics metrics,
    ControllerLog log)
{
    private const int MaxListedErrors = 5;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        if (configMaps.Get(key) is not { } cm)
        {
            sourceSecrets.Forget(key);
            return ReconcileResult.Done; // deleted: the garbage collector removes what it owned
        }

        if (!cm.Marked || cm.ValuesYaml is null)
        {
            var why = !cm.Marked
                ? $"the ConfigMap is labelled but lacks the annotation {WellKnown.ValuesAnnotation}: \"true\"; nothing is changed"
                : $"the ConfigMap holds no data.\"{WellKnown.ValuesDataKey}\"; existing objects are kept";
            await InvalidAsync(cm, null, why, ct);
            return ReconcileResult.Done;
        }

        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument(cm.Namespace, cm.Name, cm.ValuesYaml, cm.Uid), policy.Current);
        if (evaluation.Model is not { } model)
        {
            var errors = evaluation.Errors.ToList();
            var listed = string.Join("; ", errors.Take(MaxListedErrors).Select(e => e.ToString()));
            var more = errors.Count > MaxListedErrors ? $" (and {errors.Count - MaxListedErrors} more)" : string.Empty;
            await InvalidAsync(cm, evaluation.ValuesHash, $"values are invalid, existing objects are kept: {listed}{more}", ct);
            return ReconcileResult.Done;
        }

        var selection = ApiVersionSelection.From(await discovery.ServedAsync(ct), unmentionedAreServed: false);
        var options = new RenderOptions(selection, new OwnerConfigMap(cm.Name, cm.Uid));
        var rendered = Renderer.Render(model, options);
        foreach (var kind in rendered.SkippedKinds)
        {
            await EventAsync(cm, EventReasons.KindMissing,
                $"no {kind.Kind} objects: the cluster serves none of {string.Join(", ", kind.Versions.Select(kind.ApiVersion))} (is its CRD installed?); the other objects are applied", true, ct);
        }

        foreach (var omitted in rendered.Omitted)
        {
            await EventAsync(cm, EventReasons.KindMissing, omitted, true, ct);
        }

        // watch the Secrets these values name (and only them), so that a rotation is projected and a creation seen at once
        sourceSecrets.Track(cm.Key, cm.Namespace, model.Secrets.Select(s => s.Name));
        var desired = rendered.Objects.Select(DesiredObject.From).ToList();
        var secretCheck = await secrets.ProjectAsync(cm, model, options, ct);
        var missing = secretCheck.Missing;
        desired.AddRange(secretCheck.Projected);
        foreach (var m in missing)
        {
            await EventAsync(cm, EventReasons.SecretMissing, m + "; AI Gateway cannot authenticate this backend until it does (a projected Secret is not created, and nothing is pruned, until its source exists)", true, ct);
        }

        var served = ResourceKind.All.Where(k => selection.For(k) is not null).Select(k => (k, selection.For(k)!));
        var live = await LiveObjects.ListAsync(client, cm, served, liveCache, ct);
        var outcomes = await applier.ApplyAsync(cm, desired, live, ct);
        var applied = outcomes.Where(o => o.Status == ApplyStatus.Applied).ToList();
        var conflicts = outcomes.Where(o => o.Status == ApplyStatus.Conflict).ToList();
        var failed = outcomes.Where(o => o.Status == ApplyStatus.Failed).ToList();
        metrics.Applied(applied.Count);
        metrics.Conflicts(conflicts.Count);
        if (applied.Count > 0)
        {
            var kinds = string.Join(", ", applied.GroupBy(o => o.Desired.Kind.Kind).Select(g => $"{g.Count()} {g.Key}"));
            await EventAsync(cm, EventReasons.Applied, $"applied {applied.Count} of {desired.Count} objects ({kinds}) for values {evaluation.ValuesHash}", false, ct);
        }

        foreach (var c in conflicts)
        {
            await EventAsync(cm, EventReasons.Conflict, c.Detail!, true, ct);
        }

        if (failed.Count > 0)
        {
            await EventAsync(cm, EventReasons.Failed, $"{failed.Count} objects could not be applied, retrying: " + string.Join("; ", failed.Take(MaxListedErrors).Select(f => f.Detail)), true, ct);
        }

        var pruned = new List<string>();

        // a missing projection source must not prune the last copy of its projected Secret; other missing Secrets prune nothing of ours
        var complete = conflicts.Count == 0 && failed.Count == 0 && !secretCheck.ProjectionMissing;
        if (complete)
        {
            pruned.AddRange(await pruner.PruneAsync(cm, desired, live, ct));
            metrics.Pruned(pruned.Count);
            if (pruned.Count > 0)
            {
                await EventAsync(cm, EventReasons.Pruned, $"deleted {pruned.Count} objects no longer in the values: " + string.Join(", ", pruned.Take(20)) + (pruned.Count > 20 ? ", …" : string.Empty), false, ct);
            }
        }

        var ready = complete && missing.Count == 0 && rendered.Omitted.Count == 0;
        var counts = new ObjectCounts(desired.Count, outcomes.Count(o => o.Status is ApplyStatus.Applied or ApplyStatus.Unchanged), conflicts.Count, missing.Count, rendered.SkippedKinds.Count);
        var message = ready
            ? $"{desired.Count} objects in sync" + (rendered.SkippedKinds.Count > 0 ? $"; kinds not served: {string.Join(", ", rendered.SkippedKinds.Select(k => k.Kind))}" : string.Empty)
            : $"not in sync: {conflicts.Count} conflicts, {missing.Count} missing Secrets, {failed.Count} failed writes, {rendered.Omitted.Count} objects the cluster's versions cannot express" + (complete ? string.Empty : "; nothing pruned");
        await StatusAsync(cm, StatusAnnotation.Build(evaluation.ValuesHash, ready, message, counts, DateTime.UtcNow), ct);
        if (applied.Count > 0 || pruned.Count > 0 || !ready)
        {
            log.Info($"reconciled {cm.Key}: {applied.Count} applied, {outcomes.Count(o => o.Status == ApplyStatus.Unchanged)} unchanged, {conflicts.Count} conflicts, {failed.Count} failed, {missing.Count} missing Secrets, {pruned.Count} pruned");
        }

        return ready ? ReconcileResult.Done : ReconcileResult.Retry;
    }

    /// <summary>Forgets what the controller remembers about a ConfigMap that was deleted.</summary>
    public void Forget(string uid)
    {
        events.Forget(uid);
    }

    private async Task InvalidAsync(ValuesConfigMap cm, string? valuesHash, string message, CancellationToken ct)
    {
        log.Warn($"{cm.Key}: {message}");
        await EventAsync(cm, EventReasons.Invalid, message, true, ct);
        await StatusAsync(cm, StatusAnnotation.Build(valuesHash, false, message, null, DateTime.UtcNow), ct);
    }

    private async Task EventAsync(ValuesConfigMap cm, string reason, string message, bool warning, CancellationToken ct)
    {
        metrics.Event();
        await events.RecordAsync(cm, reason, message, warning, ct);
    }

    private async Task StatusAsync(ValuesConfigMap cm, System.Text.Json.Nodes.JsonObject status, CancellationToken ct)
    {
        try
        {
            if (await StatusAnnotation.WriteAsync(client, cm, status, ct) is { } written)
            {
                configMaps.StatusWritten(cm.Key, cm.Uid, written);
            }
        }
        catch (Kube.KubeApiException e) when (e.IsNotFound || e.IsConflict || (int)e.Status == 422)
        {
            // deleted or recreated meanwhile: the watch brings the next state
        }
    }
}
