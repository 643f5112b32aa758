using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// Deletes objects that are no longer desired: only of the kinds we emit, only those whose controller owner reference
/// is this ConfigMap's UID (labels alone prove nothing), and each with a UID precondition. Called only after every
/// apply of the reconcile succeeded.
/// </summary>
internal sealed class Pruner(KubeClient client)
{
    public async Task<IReadOnlyList<string>> PruneAsync(ValuesConfigMap cm, IReadOnlyList<DesiredObject> desired, LiveObjects live, CancellationToken ct)
    {
        var wanted = desired.Select(d => (d.Kind, d.Name)).ToHashSet();
        var pruned = new List<string>();
        foreach (var (kind, items) in live.ByKind)
        {
            foreach (var (name, item) in items)
            {
                if (wanted.Contains((kind, name)) || item.ControllerConfigMapUid() != cm.Uid || item.Uid() is not { } uid)
                {
                    continue;
                }

                var resource = ApiResource.Of(item.Str("apiVersion") ?? kind.ApiVersion(kind.Versions[0]), kind.Plural);
                if (await client.DeleteAsync(resource, cm.Namespace, name, uid, ct))
                {
                    pruned.Add($"{kind.Kind} {name}");
                }
            }
        }

        return pruned;
    }
}
