using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>
/// An informer's core: LIST, then WATCH from the list's resourceVersion; resume from the last seen resourceVersion
/// (bookmarks included) when the server ends a watch; LIST again on 410 Gone; reconnect with exponential backoff and
/// jitter on errors. The handler sees every object of each LIST (<see cref="IListWatchHandler.Relisted"/>) and every event.
/// <paramref name="expired"/> is told of each LIST made again because the server answered a watch with 410 Gone or another
/// error status (the resourceVersion was compacted away or fell out of the watch cache).
/// </summary>
public sealed class ListWatcher(KubeClient client, string path, string? labelSelector, string? fieldSelector, IListWatchHandler handler, IKubeLog log, string what,
    Action<string>? expired = null)
{
    private const int WatchTimeoutSeconds = 240;
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>True once the first LIST has been delivered.</summary>
    public bool Synced { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await client.ListAsync(path, labelSelector, fieldSelector, ct);
                    var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                    foreach (var item in items)
                    {
                        item.Remove("status"); // memory: nothing reads another controller's status
                    }

                    resourceVersion = list.Obj("metadata").Str("resourceVersion") ?? string.Empty;
                    handler.Relisted(items);
                    Synced = true;
                }

                await foreach (var e in client.WatchAsync(path, labelSelector, fieldSelector, resourceVersion, WatchTimeoutSeconds, ct))
                {
                    failures = 0;
                    if (e.Type == "ERROR")
                    {
                        var code = e.Item["code"]?.GetValue<int>();
                        log.Info($"watch {what}: {code} {e.Item.Str("reason")}; listing again");
                        resourceVersion = null; // 410 Gone (or any other error status): start over from a fresh LIST
                        expired?.Invoke(what);
                        break;
                    }

                    resourceVersion = e.Item.ResourceVersion() ?? resourceVersion;
                    if (e.Type != "BOOKMARK")
                    {
                        handler.Changed(e.Type, e.Item);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                log.Info($"watch {what}: 410 Gone; listing again");
                resourceVersion = null;
                expired?.Invoke(what);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                failures++;
                var delay = Backoff.Delay(failures, MinBackoff, MaxBackoff);
                log.Warn($"watch {what} failed ({e.GetType().Name}: {e.Message}); retrying in {delay.TotalSeconds:F1} s");
                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

public interface IListWatchHandler
{
    /// <summary>Every object of a (re)list: the complete current state.</summary>
    void Relisted(IReadOnlyList<JsonObject> items);

    /// <summary>One watch event after the list: ADDED, MODIFIED or DELETED.</summary>
    void Changed(string type, JsonObject item);
}

/// <summary>Exponential backoff with ±20% jitter.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int failures, TimeSpan min, TimeSpan max)
    {
        var exponent = Math.Min(failures - 1, 20);
        var raw = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(raw * jitter);
    }
}
