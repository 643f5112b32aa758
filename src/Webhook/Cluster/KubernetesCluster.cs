using System.Collections.Concurrent;
using System.Net;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Cluster;

/// <summary>
/// The cluster through KubernetesClient (KUBECONFIG or in-cluster): two list+watch loops, like an informer, keep the
/// policy ConfigMap and every values ConfigMap in memory, so admission reviews never wait for a LIST.
/// Secrets and Gateways are looked up by name (one GET, only for values ConfigMaps that pass every rule).
/// </summary>
public sealed partial class KubernetesCluster(
    IKubernetes client, WebhookSettings settings, PolicyStore policy, ILogger<KubernetesCluster> logger) : BackgroundService, IClusterView
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly string ValuesSelector = WellKnown.ValuesAnnotation + "=true";

    private readonly ConcurrentDictionary<string, StoredValues> values = new(StringComparer.Ordinal);
    private volatile bool policySynced;
    private volatile bool valuesSynced;

    public bool Available => true;

    public bool Synced => policySynced && valuesSynced;

    public IReadOnlyCollection<StoredValues> ValuesConfigMaps => (IReadOnlyCollection<StoredValues>)values.Values;

    public async Task<bool?> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            // metadata only would be nicer; a GET is what v1.20 offers. The data is dropped at once and never logged.
            using var response = await client.CoreV1.ReadNamespacedSecretWithHttpMessagesAsync(name, ns, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            LogLookupFailed(logger, "Secret", e.GetType().Name);
            return null;
        }
    }

    public async Task<bool?> GatewayExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        foreach (var version in (string[])["v1", "v1beta1"])
        {
            try
            {
                await client.CustomObjects.GetNamespacedCustomObjectAsync("gateway.networking.k8s.io", version, ns, "gateways", name, cancellationToken);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // not there in this version (or the version is not served): try the next one
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                LogLookupFailed(logger, "Gateway", e.GetType().Name);
                return null;
            }
        }

        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchPolicyAsync(stoppingToken), WatchValuesAsync(stoppingToken));

    private async Task WatchPolicyAsync(CancellationToken ct)
    {
        if (settings.Namespace is null)
        {
            LogNoNamespace(logger);
            policySynced = true;
            return;
        }

        var ns = settings.Namespace;
        var selector = "metadata.name=" + settings.PolicyConfigMap;
        var source = $"ConfigMap {ns}/{settings.PolicyConfigMap}";
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: selector, cancellationToken: ct);
                ApplyPolicy(list.Items.FirstOrDefault(), source);
                policySynced = true;
                await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(
                    ns, fieldSelector: selector, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 300, cancellationToken: ct))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        ApplyPolicy(item, source);
                    }
                    else if (type == WatchEventType.Deleted)
                    {
                        ApplyPolicy(null, source);
                    }
                    else if (type == WatchEventType.Error)
                    {
                        break; // expired resourceVersion: list again
                    }
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
            {
                LogWatchFailed(logger, "policy", e.GetType().Name, e.Message);
                await Delay(ct);
            }
        }
    }

    private void ApplyPolicy(V1ConfigMap? configMap, string source)
    {
        string? text = null;
        if (configMap is not null)
        {
            text = configMap.Data?.TryGetValue(PolicyReader.DataKey, out var t) == true ? t : string.Empty;
            source += $" (resourceVersion {configMap.Metadata.ResourceVersion})";
        }

        policy.Apply(text, source);
    }

    private async Task WatchValuesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: ValuesSelector, cancellationToken: ct);
                values.Clear();
                foreach (var item in list.Items)
                {
                    Store(item);
                }

                valuesSynced = true;
                await foreach (var (type, item) in client.CoreV1.WatchListConfigMapForAllNamespacesAsync(
                    labelSelector: ValuesSelector, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 300, cancellationToken: ct))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        Store(item);
                    }
                    else if (type == WatchEventType.Deleted)
                    {
                        values.TryRemove(Key(item), out _);
                    }
                    else if (type == WatchEventType.Error)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
            {
                LogWatchFailed(logger, "values ConfigMaps", e.GetType().Name, e.Message);
                await Delay(ct);
            }
        }
    }

    private void Store(V1ConfigMap item)
    {
        var text = item.Data?.TryGetValue(WellKnown.ValuesDataKey, out var t) == true ? t : null;
        if (text is null || item.Metadata.Annotations?.TryGetValue(WellKnown.ValuesAnnotation, out var a) != true || a != "true")
        {
            values.TryRemove(Key(item), out _);
            return;
        }

        var doc = new ValuesDocument(item.Metadata.NamespaceProperty, item.Metadata.Name, text, item.Metadata.Uid);
        values[Key(item)] = new StoredValues(doc, item.Metadata.ResourceVersion ?? string.Empty);
    }

    private static string Key(V1ConfigMap item) => item.Metadata.NamespaceProperty + "/" + item.Metadata.Name;

    private static async Task Delay(CancellationToken ct)
    {
        try
        {
            await Task.Delay(RetryDelay, ct);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "no namespace (--namespace or POD_NAMESPACE): the policy ConfigMap is not watched, the default policy applies")]
    private static partial void LogNoNamespace(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watching {What} failed ({Error}: {Detail}); retrying")]
    private static partial void LogWatchFailed(ILogger logger, string what, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "looking up a {Kind} failed ({Error}); skipping that check")]
    private static partial void LogLookupFailed(ILogger logger, string kind, string error);
}
