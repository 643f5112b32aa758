using AiGatewayModels.Common.Policy;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// One values ConfigMap → its objects, in named phases that fill one <see cref="ReconcileOutcome"/>:
/// <see cref="Evaluate"/> (values → rules with the cluster policy → model; invalid values stop here and touch nothing),
/// <see cref="FitsNamespace"/> (the policy's ceilings of the namespace, older ConfigMaps first), <see cref="RenderAsync"/> (the engine's objects in the versions the cluster serves), <see cref="DecideClaims"/> (contested
/// names and model ids: the older ConfigMap wins, the loser's objects are withheld), <see cref="ProjectAsync"/>
/// (Secrets copied from the user's source Secrets), <see cref="ApplyAsync"/> (server-side apply of what differs),
/// <see cref="PruneAsync"/> (what is no longer desired, only after every apply succeeded) and <see cref="ReportAsync"/>
/// (Events, the status annotation, the log line and the metrics, all from the outcome).
/// </summary>
internal sealed class Reconciler(
    KubeClient client,
    ConfigMapWatcher configMaps,
    PolicyWatch policy,
    IDiscovery discovery,
    Applier applier,
    Pruner pruner,
    SecretProjector secrets,
    SourceSecretWatcher sourceSecrets,
    ClaimBook claims,
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
            claims.Forget(key);
            return ReconcileResult.Done; // deleted: the garbage collector removes what it owned, its claims go to the next in line
        }

        var outcome = new ReconcileOutcome(cm);
        var currentPolicy = policy.Current; // one policy for the whole reconcile: the rules and the Secrets' use
        if (Evaluate(outcome, currentPolicy) is { } model && FitsNamespace(model, currentPolicy, outcome) is { } footprint)
        {
            var (rendered, options) = await RenderAsync(model, outcome, ct);
            DecideClaims(footprint, currentPolicy, outcome);
            var desired = await ProjectAsync(model, rendered, options, currentPolicy, outcome, ct);
            var live = await LiveObjects.ListAsync(client, cm, Served(options.Versions), liveCache, metrics.LiveListed, ct);
            await ApplyAsync(desired, live, outcome, ct);
            await PruneAsync(desired, live, outcome, ct);
        }
        else
        {
            claims.Forget(cm.Key); // values not used: their claims go to the next in line
        }

        await ReportAsync(outcome, ct);
        return outcome.Result;
    }

    /// <summary>Forgets what the controller remembers about a ConfigMap that was deleted.</summary>
    public void Forget(string uid) => events.Forget(uid);

    /// <summary>The values and the cluster policy through every rule: the model, or null (the outcome says why).</summary>
    private static ValidatedModel? Evaluate(ReconcileOutcome outcome, ModelsPolicy currentPolicy)
    {
        var cm = outcome.ConfigMap;
        if (!cm.Marked)
        {
            outcome.Reject($"the ConfigMap is labelled but lacks the annotation {WellKnown.ValuesAnnotation}: \"true\"; nothing is changed");
            return null;
        }

        if (cm.ValuesYaml is null)
        {
            outcome.Reject($"the ConfigMap holds no data.\"{WellKnown.ValuesDataKey}\"; existing objects are kept");
            return null;
        }

        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument(cm.Namespace, cm.Name, cm.ValuesYaml, cm.Uid), currentPolicy);
        outcome.ValuesHash = evaluation.ValuesHash;
        if (evaluation.Model is null)
        {
            var errors = evaluation.Errors.ToList();
            var listed = string.Join("; ", errors.Take(MaxListedErrors).Select(e => e.ToString()));
            var more = errors.Count > MaxListedErrors ? $" (and {errors.Count - MaxListedErrors} more)" : string.Empty;
            outcome.Reject($"values are invalid, existing objects are kept: {listed}{more}");
        }

        return evaluation.Model;
    }

    /// <summary>The engine's objects, in the versions the cluster serves now; a kind it serves in no version is skipped.</summary>
    private async Task<(RenderResult Rendered, RenderOptions Options)> RenderAsync(ValidatedModel model, ReconcileOutcome outcome, CancellationToken ct)
    {
        var cm = outcome.ConfigMap;
        var options = new RenderOptions(ApiVersionSelection.From(await discovery.ServedAsync(ct), unmentionedAreServed: false), new OwnerConfigMap(cm.Name, cm.Uid));
        var rendered = Renderer.Render(model, options);
        outcome.SkippedKinds = rendered.SkippedKinds;
        foreach (var kind in rendered.SkippedKinds)
        {
            outcome.Event(EventReasons.KindMissing,
                $"no {kind.Kind} objects: the cluster serves none of {string.Join(", ", kind.Versions.Select(kind.ApiVersion))} (is its CRD installed?); the other objects are applied", true);
        }

        outcome.Omitted = rendered.Omitted;
        foreach (var omitted in rendered.Omitted)
        {
            outcome.Event(EventReasons.KindMissing, omitted, true);
        }

        return (rendered, options);
    }

    /// <summary>
    /// The policy's ceilings of the namespace (the per-ConfigMap ones are engine rules): values that do not fit with the older
    /// values ConfigMaps of their namespace are refused like invalid values, nothing is applied and nothing pruned. The
    /// expander decides this even when the webhook judged the values (two creations at once both pass its check), and
    /// when no webhook was in the path. Returns the values' footprint when they fit.
    /// </summary>
    private Footprint? FitsNamespace(ValidatedModel model, ModelsPolicy currentPolicy, ReconcileOutcome outcome)
    {
        var footprint = Footprint.Of(model);
        if (claims.NamespaceRefusal(outcome.ConfigMap, footprint, currentPolicy) is not { } refusal)
        {
            return footprint;
        }

        outcome.Reject($"{refusal}; nothing is applied, existing objects are kept");
        return null;
    }

    /// <summary>
    /// Which contested claims (a generated name, a model id on the Gateway) these values hold: one lost to an older ConfigMap
    /// withholds the objects it covers; they are never applied, and what was applied of them before is pruned with the rest.
    /// </summary>
    private void DecideClaims(Footprint footprint, ModelsPolicy currentPolicy, ReconcileOutcome outcome)
    {
        outcome.Claims = claims.Decide(outcome.ConfigMap, footprint, currentPolicy);
        foreach (var lost in outcome.Claims.Lost)
        {
            outcome.Event(EventReasons.Conflict, lost.Message, true);
        }
    }

    /// <summary>
    /// The desired objects: the rendered ones and the Secrets projected from the sources the values name, less what a claim
    /// lost to an older ConfigMap or an unusable Secret withholds.
    /// </summary>
    private async Task<List<DesiredObject>> ProjectAsync(ValidatedModel model, RenderResult rendered, RenderOptions options, ModelsPolicy currentPolicy, ReconcileOutcome outcome, CancellationToken ct)
    {
        var cm = outcome.ConfigMap;
        // watch the Secrets these values name (and only them), so that a rotation is projected and a creation seen at once
        sourceSecrets.Track(cm.Key, cm.Namespace, model.Secrets.Select(s => s.Name));
        var check = await secrets.ProjectAsync(cm, model, currentPolicy, options, ct);
        var desired = rendered.Objects
            .Where(o => !(o.Kind == ResourceKind.BackendSecurityPolicy && check.WithheldPolicies.Contains(o.Name)))
            .Select(DesiredObject.From).ToList();
        desired.AddRange(check.Projected);
        desired.RemoveAll(d => outcome.Claims.Withheld.Contains(Footprint.ObjectKey(d.Kind, d.Name)));
        outcome.UnusableSecrets = check.Unusable;
        outcome.ProjectionSourceUnusable = check.ProjectionSourceUnusable;
        foreach (var m in check.Unusable)
        {
            outcome.Event(EventReasons.SecretMissing, m + "; this backend's BackendSecurityPolicy (and a projected Secret) is not applied until it can be (nothing is pruned while a projection source cannot be used)", true);
        }

        outcome.Desired = desired.Count;
        return desired;
    }

    private async Task ApplyAsync(IReadOnlyList<DesiredObject> desired, LiveObjects live, ReconcileOutcome outcome, CancellationToken ct)
    {
        outcome.Applies = await applier.ApplyAsync(outcome.ConfigMap, desired, live, outcome.Claims.BeatenUids, ct);
        outcome.RecordApplyEvents();
    }

    private async Task PruneAsync(IReadOnlyList<DesiredObject> desired, LiveObjects live, ReconcileOutcome outcome, CancellationToken ct)
    {
        if (!outcome.Complete)
        {
            return; // a conflict, a failure or a missing projection source: what is live may still be needed
        }

        outcome.Pruned = await pruner.PruneAsync(outcome.ConfigMap, desired, live, ct);
        outcome.RecordPruneEvent();
    }

    /// <summary>Events, the status annotation, the log line and the metrics: everything the outcome says, and nothing else.</summary>
    private async Task ReportAsync(ReconcileOutcome outcome, CancellationToken ct)
    {
        var cm = outcome.ConfigMap;
        metrics.Applied(outcome.Applied);
        metrics.Conflicts(outcome.Conflicts);
        metrics.Pruned(outcome.Pruned.Count);
        if (outcome.LogLine is var (warning, text))
        {
            if (warning)
            {
                log.Warn(text);
            }
            else
            {
                log.Info(text);
            }
        }

        foreach (var e in outcome.Events)
        {
            await events.RecordAsync(cm, e.Reason, e.Message, e.Warning, ct);
        }

        try
        {
            if (await StatusAnnotation.WriteAsync(client, cm, outcome.Status(DateTime.UtcNow), ct) is { } written)
            {
                configMaps.StatusWritten(cm.Key, cm.Uid, written);
            }
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict || e.IsInvalid)
        {
            // deleted or recreated meanwhile: the watch brings the next state
        }
    }

    private static IEnumerable<(ResourceKind Kind, string ApiVersion)> Served(ApiVersionSelection selection) =>
        ResourceKind.All.Where(k => selection.For(k) is not null).Select(k => (k, selection.For(k)!));
}
