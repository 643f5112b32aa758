using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
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
        var time = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{cm.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}",
                ["namespace"] = cm.Namespace,
            },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["namespace"] = cm.Namespace,
                ["name"] = cm.Name,
                ["uid"] = cm.Uid,
            },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = warning ? "Warning" : "Normal",
            ["source"] = new JsonObject { ["component"] = "ai-gateway-models-expander" },
            ["reportingComponent"] = "ai-gateway-models-expander",
            ["reportingInstance"] = instance,
            ["firstTimestamp"] = time,
            ["lastTimestamp"] = time,
            ["count"] = 1,
        };
        try
        {
            await client.CreateAsync(KubePaths.Collection(string.Empty, "v1", "events", cm.Namespace), body, ct);
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
