using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The objects of each served kind in the ConfigMap's namespace that carry our labels for this ConfigMap: from the drift
/// watcher's cache when it watches that kind in that version and has synced (its first LIST arrived), else one LIST of
/// that kind. A label proves nothing (AI Gateway copies our labels onto the HTTPRoutes it makes), so the
/// applier and the pruner also check the controller owner reference's UID.
/// </summary>
internal sealed class LiveObjects
{
    private readonly Dictionary<ResourceKind, Dictionary<string, JsonObject>> byKind = [];

    public IReadOnlyDictionary<ResourceKind, Dictionary<string, JsonObject>> ByKind => byKind;

    /// <param name="listed">told of each kind read with a LIST (not from the cache).</param>
    public static async Task<LiveObjects> ListAsync(
        KubeClient client, ValuesConfigMap cm, IEnumerable<(ResourceKind Kind, string ApiVersion)> kinds, DriftWatcher? cache, Action listed, CancellationToken ct)
    {
        var selector = $"{WellKnown.ManagedByLabel}={WellKnown.ManagedByValue},{WellKnown.SourceLabel}={cm.Name}";
        var result = new LiveObjects();
        var lists = await Task.WhenAll(kinds.Select(async k =>
        {
            if (cache is not null && cache.TryGet(k.Kind, k.ApiVersion, cm.Namespace, cm.Name, out var cached))
            {
                return (k.Kind, cached);
            }

            listed();
            var list = await client.ListAsync(ApiResource.Of(k.ApiVersion, k.Kind.Plural), cm.Namespace, selector, null, ct);
            var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Where(i => i.Name() is not null).ToDictionary(i => i.Name()!, StringComparer.Ordinal);
            foreach (var item in items.Values)
            {
                // items of a core list come without apiVersion and kind
                item["apiVersion"] ??= k.ApiVersion;
                item["kind"] ??= k.Kind.Kind;
            }

            return (k.Kind, items);
        }));
        foreach (var (kind, items) in lists)
        {
            result.byKind[kind] = items;
        }

        return result;
    }

    public JsonObject? Find(ResourceKind kind, string name) =>
        byKind.TryGetValue(kind, out var items) && items.TryGetValue(name, out var o) ? o : null;
}
