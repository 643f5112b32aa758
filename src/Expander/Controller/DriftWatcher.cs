using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// Watches every generated kind the cluster serves by our label (<c>app.kubernetes.io/managed-by=ai-gateway-models</c>);
/// a change or deletion queues the owning values ConfigMap, so the object is restored. Rate-limited per ConfigMap:
/// at most one queueing per <see cref="MinInterval"/>, so a fight with another writer cannot spin.
/// The watched objects are also kept (an informer cache: compact UTF-8 JSON without status and managedFields, indexed
/// by namespace and source label; parsed again for each reconcile that reads them), so that a reconcile reads its live objects from memory instead of one LIST per kind: see
/// <see cref="TryGet"/>.
/// </summary>
internal sealed class DriftWatcher
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly string Selector = WellKnown.ManagedByLabel + "=" + WellKnown.ManagedByValue;

    private readonly ConcurrentDictionary<string, DateTime> nextAllowed = new(StringComparer.Ordinal);
    private readonly Func<string, bool> isValuesConfigMap;
    private readonly Action<string, TimeSpan> enqueueAfter;
    private readonly Dictionary<(ResourceKind Kind, string? Namespace), KindCache> kinds = [];
    private readonly bool namespaced;

    /// <param name="namespaces">null: one watch per kind of the whole cluster; else one per kind and namespace (each with a cache of its own).</param>
    public DriftWatcher(KubeClient client, IReadOnlyList<string>? namespaces, ApiVersionSelection served, Func<string, bool> isValuesConfigMap, Action<string, TimeSpan> enqueueAfter, ControllerLog log)
    {
        this.isValuesConfigMap = isValuesConfigMap;
        this.enqueueAfter = enqueueAfter;
        namespaced = namespaces is not null;
        foreach (var kind in ResourceKind.All)
        {
            if (served.For(kind) is not { } apiVersion)
            {
                continue;
            }

            var scopes = namespaces is null ? new string?[] { null } : namespaces.ToArray<string?>();
            foreach (var ns in scopes)
            {
                var cache = new KindCache(this, kind, apiVersion);
                cache.Watcher = new ListWatcher(client, ApiResource.Of(apiVersion, kind.Plural), ns, Selector, null, cache, log, "generated " + kind.Plural);
                kinds[(kind, ns)] = cache;
            }
        }
    }

    /// <summary>Objects held in the cache (all kinds).</summary>
    public int Count => kinds.Values.Sum(k => k.Count);

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(kinds.Values.Select(k => k.Watcher!.RunAsync(ct)));

    /// <summary>The watches, one per served kind (for liveness).</summary>
    public IEnumerable<ListWatcher> Watchers => kinds.Values.Select(k => k.Watcher!);

    /// <summary>
    /// The cached objects of <paramref name="kind"/> in <paramref name="ns"/> whose source label is <paramref name="source"/>,
    /// by name: false when this kind is not watched in <paramref name="apiVersion"/> or its first LIST has not arrived
    /// yet (then the caller LISTs). The objects are fresh copies of the cached ones.
    /// </summary>
    public bool TryGet(ResourceKind kind, string apiVersion, string ns, string source, out Dictionary<string, JsonObject> items)
    {
        if (kinds.TryGetValue((kind, namespaced ? ns : null), out var cache) && cache.ApiVersion == apiVersion && cache.Watcher!.Synced)
        {
            items = cache.Get(ns, source);
            return true;
        }

        items = [];
        return false;
    }

    private void Changed(JsonObject item)
    {
        var owner = item.ControllerConfigMapName() ?? item.Label(WellKnown.SourceLabel);
        if (owner is null || item.Namespace() is not { } ns)
        {
            return;
        }

        var key = ns + "/" + owner;
        if (!isValuesConfigMap(key))
        {
            return;
        }

        var now = DateTime.UtcNow;
        var delay = TimeSpan.Zero;
        nextAllowed.AddOrUpdate(key, now + MinInterval, (_, next) =>
        {
            delay = next > now ? next - now : TimeSpan.Zero;
            return (next > now ? next : now) + MinInterval;
        });
        enqueueAfter(key, delay);
    }

    /// <summary>One kind: its list+watch and its objects, by "namespace/source label" and name.</summary>
    private sealed class KindCache(DriftWatcher owner, ResourceKind kind, string apiVersion) : IListWatchHandler
    {
        private readonly Lock gate = new();
        private Dictionary<string, Dictionary<string, byte[]>> bySource = new(StringComparer.Ordinal);
        private Dictionary<string, string> sourceOf = new(StringComparer.Ordinal); // "ns/name" → "ns/source"

        public string ApiVersion { get; } = apiVersion;

        public ListWatcher? Watcher { get; set; }

        public int Count
        {
            get
            {
                lock (gate)
                {
                    return sourceOf.Count;
                }
            }
        }

        public Dictionary<string, JsonObject> Get(string ns, string source)
        {
            KeyValuePair<string, byte[]>[] items;
            lock (gate)
            {
                items = bySource.TryGetValue(ns + "/" + source, out var found) ? [.. found] : [];
            }

            return items.ToDictionary(i => i.Key, i => (JsonObject)JsonNode.Parse(i.Value)!, StringComparer.Ordinal);
        }

        public void Relisted(IReadOnlyList<JsonObject> items)
        {
            // the periodic resync covers anything changed while the watch was down; the cache starts over from the list
            var (nextBySource, nextSourceOf) = (new Dictionary<string, Dictionary<string, byte[]>>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));
            foreach (var item in items)
            {
                Put(nextBySource, nextSourceOf, Prepare(item));
            }

            lock (gate)
            {
                (bySource, sourceOf) = (nextBySource, nextSourceOf);
            }
        }

        public void Changed(string type, JsonObject item)
        {
            item = Prepare(item);
            lock (gate)
            {
                if (type == "DELETED")
                {
                    Remove(item.Namespace() + "/" + item.Name());
                }
                else
                {
                    Put(bySource, sourceOf, item);
                }
            }

            owner.Changed(item);
        }

        private static void Put(Dictionary<string, Dictionary<string, byte[]>> index, Dictionary<string, string> sources, JsonObject item)
        {
            if (item.Name() is not { } name || item.Namespace() is not { } ns)
            {
                return;
            }

            var key = ns + "/" + name;
            if (sources.TryGetValue(key, out var oldSource) && index.TryGetValue(oldSource, out var old))
            {
                old.Remove(name);
                if (old.Count == 0)
                {
                    index.Remove(oldSource);
                }
            }

            var source = ns + "/" + (item.Label(WellKnown.SourceLabel) ?? string.Empty);
            if (!index.TryGetValue(source, out var items))
            {
                items = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                index[source] = items;
            }

            items[name] = System.Text.Encoding.UTF8.GetBytes(item.ToJsonString());
            sources[key] = source;
        }

        private void Remove(string key)
        {
            if (sourceOf.Remove(key, out var source) && bySource.TryGetValue(source, out var items))
            {
                items.Remove(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
                if (items.Count == 0)
                {
                    bySource.Remove(source);
                }
            }
        }

        // memory: nothing reads status or managedFields; items of a core list come without apiVersion and kind
        private JsonObject Prepare(JsonObject item)
        {
            item.Remove("status");
            item.Obj("metadata")?.Remove("managedFields");
            item["apiVersion"] ??= ApiVersion;
            item["kind"] ??= kind.Kind;
            return item;
        }
    }
}
