using System.Text.Json.Nodes;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// Prompt rotation and prompt recovery: one list+watch per Secret that a values ConfigMap names (<c>ValidatedModel.Secrets</c>:
/// projection sources, and the Secrets AI Gateway reads as they are, whose absence the reconcile reports), in that ConfigMap's namespace and restricted to that one name (<c>fieldSelector=metadata.name=&lt;source&gt;</c>), so
/// the controller never receives any other Secret. A change, creation or deletion of the source (or a relist after the
/// watch was down) queues every ConfigMap that names it. Watches start when a reconcile first names a source and stop
/// when no ConfigMap names it any more (values changed, ConfigMap deleted) or when this instance stops leading.
/// Nothing of the Secret is kept, logged or compared here: the reconcile reads it again and projects it.
/// </summary>
internal sealed class SourceSecretWatcher(KubeClient client, Action<string> enqueue, ControllerLog log, CancellationToken stop) : IAsyncDisposable
{
    private readonly KubeClient client = client;
    private readonly ControllerLog log = log;
    private readonly CancellationToken stop = stop;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Watch> watches = new(StringComparer.Ordinal); // "ns/secret"
    private readonly Dictionary<string, HashSet<string>> sourcesOf = new(StringComparer.Ordinal); // ConfigMap key → "ns/secret"

    /// <summary>The source Secrets watched now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    /// <summary>The watches, for liveness.</summary>
    public IReadOnlyList<ListWatcher> Watchers
    {
        get
        {
            lock (gate)
            {
                return [.. watches.Values.Select(w => w.Watcher)];
            }
        }
    }

    /// <summary>Records the source Secrets that the ConfigMap <paramref name="configMapKey"/> names now (none: forget it).</summary>
    public void Track(string configMapKey, string ns, IEnumerable<string> sourceNames)
    {
        var next = sourceNames.Select(n => ns + "/" + n).ToHashSet(StringComparer.Ordinal);
        var stopped = new List<Watch>();
        lock (gate)
        {
            var before = sourcesOf.TryGetValue(configMapKey, out var b) ? b : [];
            if (before.SetEquals(next))
            {
                return;
            }

            foreach (var source in before.Except(next))
            {
                if (watches.TryGetValue(source, out var w) && w.Referrers.Remove(configMapKey) && w.Referrers.Count == 0)
                {
                    watches.Remove(source);
                    stopped.Add(w);
                }
            }

            foreach (var source in next.Except(before))
            {
                if (!watches.TryGetValue(source, out var w))
                {
                    if (stop.IsCancellationRequested)
                    {
                        continue;
                    }

                    w = new Watch(this, source);
                    watches[source] = w;
                    w.Start();
                }

                w.Referrers.Add(configMapKey);
            }

            if (next.Count == 0)
            {
                sourcesOf.Remove(configMapKey);
            }
            else
            {
                sourcesOf[configMapKey] = next;
            }
        }

        foreach (var w in stopped)
        {
            w.Cancel();
        }
    }

    public void Forget(string configMapKey) => Track(configMapKey, string.Empty, []);

    public async ValueTask DisposeAsync()
    {
        List<Watch> all;
        lock (gate)
        {
            all = [.. watches.Values];
            watches.Clear();
            sourcesOf.Clear();
        }

        foreach (var w in all)
        {
            w.Cancel();
        }

        await Task.WhenAll(all.Select(w => w.Running));
    }

    private void Changed(Watch watch)
    {
        string[] referrers;
        lock (gate)
        {
            referrers = [.. watch.Referrers];
        }

        foreach (var key in referrers)
        {
            enqueue(key);
        }
    }

    private sealed class Watch : IListWatchHandler
    {
        private readonly SourceSecretWatcher owner;
        private readonly CancellationTokenSource cancel;

        public Watch(SourceSecretWatcher owner, string source)
        {
            this.owner = owner;
            cancel = CancellationTokenSource.CreateLinkedTokenSource(owner.stop);
            var slash = source.IndexOf('/', StringComparison.Ordinal);
            var (ns, name) = (source[..slash], source[(slash + 1)..]);
            Watcher = new ListWatcher(owner.client, ApiResource.Secrets, ns, null, "metadata.name=" + name, this, owner.log, "source Secret " + source);
        }

        public HashSet<string> Referrers { get; } = new(StringComparer.Ordinal);

        public ListWatcher Watcher { get; }

        public Task Running { get; private set; } = Task.CompletedTask;

        public void Start() => Running = Task.Run(async () =>
        {
            try
            {
                await Watcher.RunAsync(cancel.Token);
            }
            finally
            {
                cancel.Dispose();
            }
        });

        public void Cancel()
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // already stopped
            }
        }

        // the first list too: the Secret may have changed between the reconcile's read and the start of the watch
        public void Relisted(IReadOnlyList<JsonObject> items)
        {
            Scrub(items);
            owner.Changed(this);
        }

        public void Changed(string type, JsonObject item)
        {
            Scrub([item]);
            owner.Changed(this);
        }

        // nothing keeps these objects, but drop the values at once all the same
        private static void Scrub(IEnumerable<JsonObject> items)
        {
            foreach (var item in items)
            {
                item.Remove("data");
                item.Remove("stringData");
            }
        }
    }
}
