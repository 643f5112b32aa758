using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The cluster policy: the ConfigMap <c>ai-gateway-models-policy</c> (data key <c>policy.yaml</c>) in the expander's
/// namespace, read with the engine's <see cref="PolicyReader"/> (as the webhook does). Absent: the default policy.
/// A broken version keeps the last good policy and is logged. Every change re-queues every ConfigMap.
/// </summary>
internal sealed class PolicySource : IListWatchHandler
{
    public const string DefaultName = "ai-gateway-models-policy";
    private readonly ControllerLog log;
    private readonly Action changed;
    private readonly ListWatcher? watcher;
    private string? lastText;
    private volatile ModelsPolicy current = ModelsPolicy.Default;

    public PolicySource(KubeClient client, string? ns, string name, Action changed, ControllerLog log)
    {
        this.log = log;
        this.changed = changed;
        if (ns is not null)
        {
            watcher = new ListWatcher(client, KubePaths.Collection(string.Empty, "v1", "configmaps", ns), null, "metadata.name=" + name, this, log, "policy ConfigMap");
        }
        else
        {
            log.Warn("no namespace (--namespace or POD_NAMESPACE): the policy ConfigMap is not read, the default policy applies");
        }
    }

    public ModelsPolicy Current => current;

    public bool Synced => watcher?.Synced ?? true;

    public Task RunAsync(CancellationToken ct) => watcher?.RunAsync(ct) ?? Task.CompletedTask;

    public void Relisted(IReadOnlyList<JsonObject> items) => Apply(items.Count > 0 ? items[0] : null);

    public void Changed(string type, JsonObject item) => Apply(type == "DELETED" ? null : item);

    private void Apply(JsonObject? configMap)
    {
        var text = configMap is null ? null : configMap.Obj("data").Str(PolicyReader.DataKey) ?? string.Empty;
        if (text == lastText && configMap is not null == (lastText is not null))
        {
            return;
        }

        lastText = text;
        if (text is null)
        {
            current = ModelsPolicy.Default;
            log.Info("policy: no policy ConfigMap, the default policy applies");
        }
        else
        {
            var (policy, diagnostics) = PolicyReader.Read(text);
            if (policy is null)
            {
                log.Error("policy ConfigMap is invalid, keeping the last good policy: " + string.Join("; ", diagnostics.Where(d => d.IsError)));
                return;
            }

            current = policy;
            log.Info("policy: applied the policy ConfigMap");
        }

        changed();
    }
}
