using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Common.Policy;
using AiGatewayModels.Kube;
using AiGatewayModels.Webhook.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Cluster;

/// <summary>
/// The cluster through the shared client (KUBECONFIG or in-cluster): two list+watch loops, like informers, keep the
/// policy ConfigMap (the shared <see cref="PolicyWatch"/>) and every values ConfigMap in memory, so admission reviews
/// never wait for a LIST.
/// Secrets and Gateways are looked up by name (one GET, only for values ConfigMaps that pass every rule).
/// </summary>
public sealed partial class KubernetesCluster : BackgroundService, IClusterView
{
    public const string UserAgent = "ai-gateway-models-webhook";

    private readonly KubeClient client;
    private readonly ILogger<KubernetesCluster> logger;
    private readonly ConcurrentDictionary<string, StoredValues> values = new(StringComparer.Ordinal);

    // the uid of every values ConfigMap (labelled and annotated, whatever its data), by namespace/name: the drift guard's
    // owners. A ConfigMap that is only labelled is not expanded, so it owns nothing the guard should hold.
    private readonly ConcurrentDictionary<string, string> owners = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ListWatcher> valuesWatchers;
    private readonly PolicyWatch policy;

    /// <summary>The values ConfigMaps of the whole cluster, or (<c>--namespaces</c>) of each named namespace by a watch of its own.</summary>
    public KubernetesCluster(KubeClient client, PolicyWatch policy, WebhookSettings settings, ILogger<KubernetesCluster> logger)
    {
        this.client = client;
        this.logger = logger;
        this.policy = policy;
        var log = new LoggerKubeLog(logger);
        var selector = WellKnown.ValuesAnnotation + "=true";
        valuesWatchers = settings.Namespaces is not { } namespaces
            ? [new ListWatcher(client, ApiResource.ConfigMaps, null, selector, null, new ValuesHandler(values, owners, null), log, "values ConfigMaps")]
            : [.. namespaces.Select(ns => new ListWatcher(client, ApiResource.ConfigMaps, ns, selector, null, new ValuesHandler(values, owners, ns), log, "values ConfigMaps"))];
    }

    public bool Available => true;

    public bool Synced => valuesWatchers.All(w => w.Synced) && policy.Synced;

    public IReadOnlyCollection<StoredValues> ValuesConfigMaps => (IReadOnlyCollection<StoredValues>)values.Values;

    public async Task<bool?> ValuesConfigMapLiveAsync(string ns, string name, string uid, CancellationToken cancellationToken)
    {
        if (valuesWatchers.All(w => w.Synced))
        {
            return owners.TryGetValue(ns + "/" + name, out var live) && live == uid;
        }

        try
        {
            // not listed yet (startup): ask the apiserver for this one, with the list permission the watch has already
            var list = await client.ListAsync(ApiResource.ConfigMaps, ns, WellKnown.ValuesAnnotation + "=true", "metadata.name=" + name, cancellationToken);
            return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Any(i => i.Uid() == uid && i.Annotation(WellKnown.ValuesAnnotation) == "true");
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            LogLookupFailed(logger, "ConfigMap", e.GetType().Name);
            return null;
        }
    }

    public async Task<bool?> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            // metadata only would be nicer; a GET is what v1.20 offers. The data is dropped at once and never logged.
            return await client.GetAsync(ApiResource.Secrets, ns, name, cancellationToken) is not null;
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
                if (await client.GetAsync(new ApiResource("gateway.networking.k8s.io", version, "gateways"), ns, name, cancellationToken) is not null)
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

    public async Task<bool?> MayGetSecretAsync(Requester who, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.ReviewAccessAsync(who, "get", ApiResource.Secrets, ns, name, cancellationToken)).Allowed;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            LogLookupFailed(logger, "SubjectAccessReview", e.GetType().Name);
            return null;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. valuesWatchers.Select(w => w.RunAsync(stoppingToken)), policy.RunAsync(stoppingToken)]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "looking up a {Kind} failed ({Error}); skipping that check")]
    private static partial void LogLookupFailed(ILogger logger, string kind, string error);

    /// <summary>Every values ConfigMap by namespace/name, as the engine reads it; a list of <paramref name="ns"/> replaces that namespace's only.</summary>
    private sealed class ValuesHandler(ConcurrentDictionary<string, StoredValues> values, ConcurrentDictionary<string, string> owners, string? ns) : IListWatchHandler
    {
        public void Relisted(IReadOnlyList<JsonObject> items)
        {
            var listed = items.Select(i => Key(i)).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in values.Keys.Where(k => !listed.Contains(k) && (ns is null || k.StartsWith(ns + "/", StringComparison.Ordinal))))
            {
                values.TryRemove(gone, out _);
            }

            foreach (var gone in owners.Keys.Where(k => !listed.Contains(k) && (ns is null || k.StartsWith(ns + "/", StringComparison.Ordinal))))
            {
                owners.TryRemove(gone, out _);
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
                owners.TryRemove(Key(item), out _);
            }
            else
            {
                Store(item);
            }
        }

        private void Store(JsonObject item)
        {
            if (item.Annotation(WellKnown.ValuesAnnotation) == "true")
            {
                owners[Key(item)] = item.Uid() ?? string.Empty;
            }
            else
            {
                owners.TryRemove(Key(item), out _);
            }

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
}
