using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>A values ConfigMap as the controller keeps it: what the engine reads, plus our own status annotation.</summary>
internal sealed record ValuesConfigMap(string Namespace, string Name, string Uid, string? ValuesYaml, bool Marked, string ContentHash, string? Status)
{
    /// <summary>metadata.creationTimestamp: the older ConfigMap wins a contested claim.</summary>
    public DateTimeOffset Created { get; init; }

    public string Key => Namespace + "/" + Name;
}

/// <summary>
/// List+watch of the ConfigMaps labelled <c>models.ai-gateway.io/values=true</c> (the mutating webhook adds the label).
/// ConfigMaps have no generation, so a change is a change of content: the values, the UID and the values annotation.
/// Our own status annotation (and any other metadata) is not content, so writing it does not queue the ConfigMap again.
/// </summary>
internal sealed class ConfigMapWatcher : IListWatchHandler
{
    public static readonly string Selector = WellKnown.ValuesAnnotation + "=true";

    private readonly ConcurrentDictionary<string, ValuesConfigMap> cache = new(StringComparer.Ordinal);
    private readonly Action<string> enqueue;
    private readonly IReadOnlyList<ListWatcher> watchers;

    /// <param name="namespaces">null: one watch of the whole cluster; else one watch per namespace, all named "values ConfigMaps"
    /// (the label of <c>expander_watch_relists_total</c> and the name in /healthz stay what dashboards and probes know).</param>
    public ConfigMapWatcher(KubeClient client, IReadOnlyList<string>? namespaces, Action<string> enqueue, ControllerLog log, Action<string>? expired = null)
    {
        this.enqueue = enqueue;
        watchers = namespaces is null
            ? [new ListWatcher(client, ApiResource.ConfigMaps, null, Selector, null, this, log, "values ConfigMaps", expired)]
            : [.. namespaces.Select(ns => new ListWatcher(client, ApiResource.ConfigMaps, ns, Selector, null, new InNamespace(this, ns), log, "values ConfigMaps", expired))];
    }

    public bool Synced => watchers.All(w => w.Synced);

    public IReadOnlyList<ListWatcher> Watchers => watchers;

    public IEnumerable<string> Keys => cache.Keys;

    public int Count => cache.Count;

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(watchers.Select(w => w.RunAsync(ct)));

    /// <summary>Every values ConfigMap and whether the status annotation we last wrote or saw on it says ready.</summary>
    public IEnumerable<(string Namespace, string Name, bool Ready)> Readiness() =>
        cache.Values.Select(v => (v.Namespace, v.Name, StatusAnnotation.IsReady(v.Status)));

    public ValuesConfigMap? Get(string key) => cache.TryGetValue(key, out var v) ? v : null;

    /// <summary>Every values ConfigMap known now.</summary>
    public IEnumerable<ValuesConfigMap> All => cache.Values;

    /// <summary>Records the status annotation we wrote, so that the next comparison sees it without waiting for the watch.</summary>
    public void StatusWritten(string key, string uid, string status)
    {
        if (cache.TryGetValue(key, out var v) && v.Uid == uid)
        {
            cache.TryUpdate(key, v with { Status = status }, v);
        }
    }

    public void Relisted(IReadOnlyList<JsonObject> items) => Relisted(null, items);

    /// <summary>A list of <paramref name="ns"/> (null: of every namespace) is the whole state of that scope, and only of it.</summary>
    private void Relisted(string? ns, IReadOnlyList<JsonObject> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(Store(item));
        }

        foreach (var key in cache.Keys.Where(k => !seen.Contains(k) && (ns is null || k.StartsWith(ns + "/", StringComparison.Ordinal))).ToList())
        {
            if (cache.TryRemove(key, out _))
            {
                enqueue(key); // the reconcile finds it gone and forgets it (its source Secret watches)
            }
        }
    }

    public void Changed(string type, JsonObject item)
    {
        if (type == "DELETED")
        {
            // the garbage collector removes what it owned; the reconcile finds it gone and forgets it (its source Secret watches)
            var key = item.Namespace() + "/" + item.Name();
            if (cache.TryRemove(key, out _))
            {
                enqueue(key);
            }

            return;
        }

        Store(item);
    }

    private string Store(JsonObject item)
    {
        if (item.Obj("metadata")?["deletionTimestamp"] is not null)
        {
            // being deleted (foreground or orphan deletion waits on the garbage collector): as good as gone. Applying
            // again would recreate what the collector is deleting, and the owner would wait on its dependents for ever.
            var key = item.Namespace() + "/" + item.Name();
            if (cache.TryRemove(key, out _))
            {
                enqueue(key);
            }

            return key;
        }

        var values = item.Obj("data").Str(WellKnown.ValuesDataKey);
        var marked = item.Annotation(WellKnown.ValuesAnnotation) == "true";
        var uid = item.Uid() ?? string.Empty;
        var next = new ValuesConfigMap(item.Namespace() ?? string.Empty, item.Name() ?? string.Empty, uid, values, marked,
            ContentHash(uid, marked, values), item.Annotation(StatusAnnotation.Key))
        {
            Created = DateTimeOffset.TryParse(item.Obj("metadata").Str("creationTimestamp"), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var created) ? created : DateTimeOffset.MaxValue,
        };
        var changed = true;
        cache.AddOrUpdate(next.Key, next, (_, old) =>
        {
            changed = old.ContentHash != next.ContentHash;
            return next;
        });
        if (changed)
        {
            enqueue(next.Key);
        }

        return next.Key;
    }

    /// <summary>The handler of one namespace's watch: its list replaces that namespace's ConfigMaps only.</summary>
    private sealed class InNamespace(ConfigMapWatcher owner, string ns) : IListWatchHandler
    {
        public void Relisted(IReadOnlyList<JsonObject> items) => owner.Relisted(ns, items);

        public void Changed(string type, JsonObject item) => owner.Changed(type, item);
    }

    private static string ContentHash(string uid, bool marked, string? values)
    {
        var text = uid + "\n" + (marked ? "1" : "0") + "\n" + (values ?? "\u0000");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
