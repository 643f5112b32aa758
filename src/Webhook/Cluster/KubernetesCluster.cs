using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Kube;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Cluster;

/// <summary>
/// The cluster through the shared REST client (KUBECONFIG or in-cluster): two list+watch loops, like informers, keep the
/// policy ConfigMap and every values ConfigMap in memory, so admission reviews never wait for a LIST.
/// Secrets and Gateways are looked up by name (one GET, only for values ConfigMaps that pass every rule).
/// </summary>
public sealed partial class KubernetesCluster : BackgroundService, IClusterView
{
    public const string UserAgent = "ai-gateway-models-webhook";

    private readonly KubeClient client;
    private readonly ILogger<KubernetesCluster> logger;
    private readonly ConcurrentDictionary<string, StoredValues> values = new(StringComparer.Ordinal);
    private readonly ListWatcher valuesWatcher;
    private readonly ListWatcher? policyWatcher;

    public KubernetesCluster(KubeClient client, WebhookSettings settings, PolicyStore policy, ILogger<KubernetesCluster> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.client = client;
        this.logger = logger;
        var log = new LoggerKubeLog(logger);
        valuesWatcher = new ListWatcher(client, KubePaths.Collection(string.Empty, "v1", "configmaps", null),
            WellKnown.ValuesAnnotation + "=true", null, new ValuesHandler(values), log, "values ConfigMaps");
        if (settings.Namespace is { } ns)
        {
            var source = $"ConfigMap {ns}/{settings.PolicyConfigMap}";
            policyWatcher = new ListWatcher(client, KubePaths.Collection(string.Empty, "v1", "configmaps", ns),
                null, "metadata.name=" + settings.PolicyConfigMap, new PolicyHandler(policy, source), log, "policy ConfigMap");
        }
        else
        {
            LogNoNamespace(logger);
        }
    }

    public bool Available => true;

    public bool Synced => valuesWatcher.Synced && (policyWatcher?.Synced ?? true);

    public IReadOnlyCollection<StoredValues> ValuesConfigMaps => (IReadOnlyCollection<StoredValues>)values.Values;

    public async Task<bool?> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            // metadata only would be nicer; a GET is what v1.20 offers. The data is dropped at once and never logged.
            return await client.GetAsync(KubePaths.Item(string.Empty, "v1", "secrets", ns, name), cancellationToken) is not null;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            LogLookupFailed(logger, "Secret", e.GetType().Name);
            return null;
        }
    }

    public async Task<bool?> GatewayExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var version in (string[])["v1", "v1beta1"])
            {
                // null: not there in this version, or the version is not served; try the next one
                if (await client.GetAsync(KubePaths.Item("gateway.networking.k8s.io", version, "gateways", ns, name), cancellationToken) is not null)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            LogLookupFailed(logger, "Gateway", e.GetType().Name);
            return null;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(valuesWatcher.RunAsync(stoppingToken), policyWatcher?.RunAsync(stoppingToken) ?? Task.CompletedTask);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no namespace (--namespace or POD_NAMESPACE): the policy ConfigMap is not watched, the default policy applies")]
    private static partial void LogNoNamespace(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "looking up a {Kind} failed ({Error}); skipping that check")]
    private static partial void LogLookupFailed(ILogger logger, string kind, string error);

    /// <summary>Every values ConfigMap by namespace/name, as the engine reads it.</summary>
    private sealed class ValuesHandler(ConcurrentDictionary<string, StoredValues> values) : IListWatchHandler
    {
        public void Relisted(IReadOnlyList<JsonObject> items)
        {
            var listed = items.Select(i => Key(i)).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in values.Keys.Where(k => !listed.Contains(k)))
            {
                values.TryRemove(gone, out _);
            }

            foreach (var item in items)
            {
                Store(item);
            }
        }

        public void Changed(string type, JsonObject item)
        {
            if (type == "DELETED")
            {
                values.TryRemove(Key(item), out _);
            }
            else
            {
                Store(item);
            }
        }

        private void Store(JsonObject item)
        {
            var text = item.Obj("data").Str(WellKnown.ValuesDataKey);
            if (text is null || item.Annotation(WellKnown.ValuesAnnotation) != "true" || item.Namespace() is not { } ns || item.Name() is not { } name)
            {
                values.TryRemove(Key(item), out _);
                return;
            }

            values[Key(item)] = new StoredValues(new ValuesDocument(ns, name, text, item.Uid()), item.ResourceVersion() ?? string.Empty);
        }

        private static string Key(JsonObject item) => item.Namespace() + "/" + item.Name();
    }

    /// <summary>The policy ConfigMap's <c>policy.yaml</c> into the store; no ConfigMap means the default policy.</summary>
    private sealed class PolicyHandler(PolicyStore policy, string source) : IListWatchHandler
    {
        public void Relisted(IReadOnlyList<JsonObject> items) => Apply(items.Count > 0 ? items[0] : null);

        public void Changed(string type, JsonObject item) => Apply(type == "DELETED" ? null : item);

        private void Apply(JsonObject? configMap)
        {
            if (configMap is null)
            {
                policy.Apply(null, source);
                return;
            }

            policy.Apply(configMap.Obj("data").Str(PolicyReader.DataKey) ?? string.Empty, $"{source} (resourceVersion {configMap.ResourceVersion()})");
        }
    }

    /// <summary>The list-watch loop's reconnects and relists, in the webhook's structured log.</summary>
    private sealed partial class LoggerKubeLog(ILogger logger) : IKubeLog
    {
        public void Info(string message) => LogInfo(logger, message);

        public void Warn(string message) => LogWarn(logger, message);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
        private static partial void LogInfo(ILogger logger, string message);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
        private static partial void LogWarn(ILogger logger, string message);
    }
}
