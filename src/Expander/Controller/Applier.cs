using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

internal enum ApplyStatus
{
    Unchanged,
    Applied,
    Conflict,
    Failed,
}

internal sealed record ApplyOutcome(DesiredObject Desired, ApplyStatus Status, string? Detail);

/// <summary>
/// Server-side apply of the desired objects with field manager <c>ai-gateway-models</c>. Before writing, each object
/// is compared with the live one: in sync → no request at all (a no-op resync writes nothing). An object with a desired
/// name that this ConfigMap does not own is never touched (a conflict), unless its owner is a ConfigMap that lost the
/// claim on it to this one (<see cref="ClaimBook"/>): then it is taken over. <c>force</c> is set only for objects we own
/// or take over, to take back fields that someone edited by hand.
/// </summary>
internal sealed class Applier(KubeClient client, int parallelism, ControllerLog log)
{
    // The resourceVersion each of our applies produced, by UID: an object whose server-side form differs from what we
    // sent (a field the schema prunes or normalises) is still in sync when nobody wrote it after us.
    private readonly ConcurrentDictionary<string, string> appliedVersions = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(ValuesConfigMap cm, IReadOnlyList<DesiredObject> desired, LiveObjects live, IReadOnlySet<string> takeOverFrom, CancellationToken ct)
    {
        var outcomes = new ApplyOutcome[desired.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, desired.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, token) =>
        {
            outcomes[i] = await ApplyOneAsync(cm, desired[i], live, takeOverFrom, token);
        });
        return outcomes;
    }

    public void Forget(string uid) => appliedVersions.TryRemove(uid, out _);

    private async Task<ApplyOutcome> ApplyOneAsync(ValuesConfigMap cm, DesiredObject d, LiveObjects live, IReadOnlySet<string> takeOverFrom, CancellationToken ct)
    {
        var resource = ApiResource.Of(d.ApiVersion, d.Kind.Plural);
        try
        {
            var current = live.Find(d.Kind, d.Name) ?? await client.GetAsync(resource, cm.Namespace, d.Name, ct);
            var ownerUid = current?.ControllerConfigMapUid();
            if (current is not null && ownerUid != cm.Uid && !(ownerUid is not null && takeOverFrom.Contains(ownerUid)))
            {
                var owner = current.ControllerConfigMapName() is { } n ? $"owned by another ConfigMap ({n})" : "not created by this ConfigMap";
                return new ApplyOutcome(d, ApplyStatus.Conflict, $"{d.Kind.Kind} {d.Name} exists and is {owner}; left untouched");
            }

            if (current is not null && InSync(d, current))
            {
                return new ApplyOutcome(d, ApplyStatus.Unchanged, null);
            }

            log.Debug($"apply {d.Kind.Kind} {cm.Namespace}/{d.Name}: {(current is null ? "new" : "differs from the live object")}");
            var result = await client.ApplyAsync(resource, cm.Namespace, d.Manifest, force: current is not null, ct);
            if (result.Uid() is { } uid && result.ResourceVersion() is { } rv)
            {
                appliedVersions[uid] = rv;
            }

            return new ApplyOutcome(d, ApplyStatus.Applied, null);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // a new object that someone else created meanwhile with fields of their own
            return new ApplyOutcome(d, ApplyStatus.Conflict, $"{d.Kind.Kind} {d.Name}: {Detail(d, e)}");
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new ApplyOutcome(d, ApplyStatus.Failed, $"{d.Kind.Kind} {d.Name}: {Detail(d, e)}");
        }
    }

    private bool InSync(DesiredObject d, JsonObject current)
    {
        if (d.Hash is not null && current.Annotation(DesiredObject.HashAnnotation) != d.Hash)
        {
            return false;
        }

        if (DesiredObject.Contains(current, d.Manifest))
        {
            return true;
        }

        return d.Hash is not null && current.Uid() is { } uid && appliedVersions.TryGetValue(uid, out var rv) && rv == current.ResourceVersion();
    }

    // For a Secret only the status and reason: an apiserver message may quote a field.
    private static string Detail(DesiredObject d, Exception e) =>
        e is KubeApiException k ? (d.Kind == ResourceKind.Secret ? $"{(int)k.Status} {k.Reason}" : $"{(int)k.Status} {k.Reason}: {k.ApiMessage}") : e.GetType().Name;
}
