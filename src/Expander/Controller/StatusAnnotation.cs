using System.Globalization;
using System.Text.Json.Nodes;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>Object counts of the last reconcile, as the status annotation reports them.</summary>
internal sealed record ObjectCounts(int Desired, int InSync, int Conflicts, int MissingSecrets, int SkippedKinds);

/// <summary>
/// <c>models.ai-gateway.io/status</c> on the values ConfigMap: observed values hash, ready, a short message, object
/// counts and the time this state was first seen. Written only when something other than the time changes, so a
/// no-op resync writes nothing; the ConfigMap watcher ignores metadata, so writing it queues nothing.
/// </summary>
internal static class StatusAnnotation
{
    public const string Key = Engine.WellKnown.StatusAnnotation;
    private const int MaxMessage = 512;

    /// <param name="reason">why it is not ready, when that has a name (<c>Conflict</c>: a claim lost to an older ConfigMap).</param>
    public static JsonObject Build(string? valuesHash, bool ready, string message, ObjectCounts? counts, DateTime now, string? reason = null)
    {
        if (message.Length > MaxMessage)
        {
            message = message[..(MaxMessage - 1)] + "…";
        }

        return new JsonObject
        {
            ["observedValuesHash"] = valuesHash,
            ["ready"] = ready,
            ["reason"] = reason,
            ["message"] = message,
            ["objects"] = counts is null ? null : new JsonObject
            {
                ["desired"] = counts.Desired,
                ["inSync"] = counts.InSync,
                ["conflicts"] = counts.Conflicts,
                ["missingSecrets"] = counts.MissingSecrets,
                ["skippedKinds"] = counts.SkippedKinds,
            },
            ["time"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>True when the annotation's text says <c>"ready": true</c>; false when it says otherwise, is absent or unreadable.</summary>
    public static bool IsReady(string? text)
    {
        if (text is null)
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject status && status["ready"] is JsonValue ready && ready.TryGetValue<bool>(out var b) && b;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="current"/> (the annotation's text) says the same as <paramref name="next"/>, time aside.</summary>
    public static bool SameState(string? current, JsonObject next)
    {
        if (current is null)
        {
            return false;
        }

        try
        {
            if (JsonNode.Parse(current) is not JsonObject old)
            {
                return false;
            }

            old.Remove("time");
            var copy = (JsonObject)next.DeepClone();
            copy.Remove("time");
            return JsonNode.DeepEquals(old, copy);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Writes the annotation with a merge patch (the UID in the patch makes it fail on a recreated ConfigMap); false when unchanged.</summary>
    public static async Task<string?> WriteAsync(KubeClient client, ValuesConfigMap cm, JsonObject status, CancellationToken ct)
    {
        if (SameState(cm.Status, status))
        {
            return null;
        }

        var text = status.ToJsonString();
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["uid"] = cm.Uid, ["annotations"] = new JsonObject { [Key] = text } },
        };
        await client.MergePatchAsync(ApiResource.ConfigMaps, cm.Namespace, cm.Name, patch, ct);
        return text;
    }
}
