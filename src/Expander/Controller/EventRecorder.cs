using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>Event reasons on the values ConfigMap, so that <c>kubectl describe configmap</c> tells the story.</summary>
internal static class EventReasons
{
    public const string Applied = "Applied";
    public const string Pruned = "Pruned";
    public const string Invalid = "Invalid";
    public const string Conflict = "Conflict";
    public const string SecretMissing = "SecretMissing";
    public const string KindMissing = "KindMissing";
    public const string Failed = "Failed";
}

/// <summary>
/// Creates core/v1 Events on a values ConfigMap. The same reason and message for the same ConfigMap is not repeated
/// within <see cref="RepeatAfter"/>, so a persisting problem does not write an Event on every retry or resync.
/// Messages come from names, counts and the engine's diagnostics (which show no secret values), never object data.
/// </summary>
internal sealed class EventRecorder(KubeClient client, ControllerLog log, string instance)
{
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(30);
    private const int MaxMessage = 1000;
    private const string Component = "ai-gateway-models-expander";
    private readonly ConcurrentDictionary<(string Uid, string Reason, string Message), DateTime> recent = new();

    public async Task RecordAsync(ValuesConfigMap cm, string reason, string message, bool warning, CancellationToken ct)
    {
        if (message.Length > MaxMessage)
        {
            message = message[..(MaxMessage - 1)] + "…";
        }

        var now = DateTime.UtcNow;
        var dedupe = (cm.Uid, reason, message);
        if (recent.TryGetValue(dedupe, out var last) && now - last < RepeatAfter)
        {
            return;
        }

        recent[dedupe] = now;
        var body = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{cm.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}", NamespaceProperty = cm.Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", NamespaceProperty = cm.Namespace, Name = cm.Name, Uid = cm.Uid },
            Reason = reason,
            Message = message,
            Type = warning ? "Warning" : "Normal",
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = instance,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CreateAsync(ApiResource.Events, cm.Namespace, body, KubeModels.Default.Corev1Event, ct);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            recent.TryRemove(dedupe, out _);
            log.Warn($"event {reason} on ConfigMap {cm.Key} not recorded: {e.Message}");
        }
    }

    /// <summary>Drops the memory of a deleted ConfigMap's Events.</summary>
    public void Forget(string uid)
    {
        foreach (var key in recent.Keys.Where(k => k.Uid == uid).ToList())
        {
            recent.TryRemove(key, out _);
        }
    }
}
