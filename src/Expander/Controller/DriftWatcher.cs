using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// Watches every generated kind the cluster serves by our label (<c>app.kubernetes.io/managed-by=ai-gateway-models</c>);
/// a change or deletion queues the owning values ConfigMap, so the object is restored. Rate-limited per ConfigMap:
/// at most one queueing per <see cref="MinInterval"/>, so a fight with another writer cannot spin.
/// </summary>
internal sealed class DriftWatcher : IListWatchHandler
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly string Selector = WellKnown.ManagedByLabel + "=" + WellKnown.ManagedByValue;

    private readonly ConcurrentDictionary<string, DateTime> nextAllowed = new(StringComparer.Ordinal);
    private readonly Func<string, bool> isValuesConfigMap;
    private readonly Action<string, TimeSpan> enqueueAfter;
    private readonly List<ListWatcher> watchers = [];

    public DriftWatcher(KubeClient client, string? watchNamespace, ApiVersionSelection served, Func<string, bool> isValuesConfigMap, Action<string, TimeSpan> enqueueAfter, ControllerLog log)
    {
        this.isValuesConfigMap = isValuesConfigMap;
        this.enqueueAfter = enqueueAfter;
        foreach (var kind in ResourceKind.All)
        {
            if (served.For(kind) is not { } apiVersion)
            {
                continue;
            }

            var (group, version) = KubePaths.Split(apiVersion);
            watchers.Add(new ListWatcher(client, KubePaths.Collection(group, version, kind.Plural, watchNamespace), Selector, null, this, log, "generated " + kind.Plural));
        }
    }

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(watchers.Select(w => w.RunAsync(ct)));

    public void Relisted(IReadOnlyList<JsonObject> items)
    {
        // the periodic resync covers anything missed while the watch was down
    }

    public void Event(string type, JsonObject item)
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
}
