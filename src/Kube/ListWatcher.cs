using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>
/// An informer's core (KubernetesClient.Aot has none): LIST, then WATCH from the list's resourceVersion; resume from
/// the last seen resourceVersion (bookmarks included) when the server ends a watch; LIST again on 410 Gone; reconnect
/// with exponential backoff and jitter on errors. The handler sees every object of each LIST
/// (<see cref="IListWatchHandler.Relisted"/>) and every event. <paramref name="expired"/> is told of each LIST made
/// again because the server answered a watch with 410 Gone or another error status (the resourceVersion was compacted
/// away or fell out of the watch cache). <see cref="StalledFor"/> tells a loop that stopped making progress (liveness).
/// </summary>
public sealed class ListWatcher(KubeClient client, ApiResource resource, string? ns, string? labelSelector, string? fieldSelector, IListWatchHandler handler, IKubeLog log, string what,
    Action<string>? expired = null)
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private long lastProgressTicks = DateTime.UtcNow.Ticks;

    /// <summary>What this loop watches, for logs and health reports.</summary>
    public string What => what;

    /// <summary>True once the first LIST has been delivered.</summary>
    public bool Synced { get; private set; }

    /// <summary>True while <see cref="RunAsync"/> runs.</summary>
    public bool Running { get; private set; }

    /// <summary>The error that ended the loop, if one did (a bug: the loop retries every error it expects).</summary>
    public Exception? Fault { get; private set; }

    /// <summary>
    /// UTC time of the loop's last step: a LIST answered, an event, a watch the server ended, an attempt that failed. An
    /// idle watch makes no step until the server ends it, after <see cref="KubeClient.WatchTimeout"/>.
    /// </summary>
    public DateTime LastProgress => new(Interlocked.Read(ref lastProgressTicks), DateTimeKind.Utc);

    /// <summary>
    /// Why this loop looks hung at <paramref name="now"/>, or null: it stopped with an error, or it made no step for a
    /// watch's duration plus <paramref name="grace"/> (a connection that died without a reset, a handler that blocks).
    /// </summary>
    public string? StalledFor(DateTime now, TimeSpan grace)
    {
        if (Fault is { } fault)
        {
            return $"watch {what} stopped ({fault.GetType().Name})";
        }

        var idle = now - LastProgress;
        return Running && idle > client.WatchTimeout + grace ? $"watch {what} made no progress for {idle.TotalSeconds:F0} s" : null;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        Running = true;
        Progress();
        try
        {
            await LoopAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fault = e;
            log.Failure($"watch {what} stopped: {e.GetType().Name}: {e.Message}");
            throw;
        }
        finally
        {
            Running = false;
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        var failures = 0;
        var timeoutSeconds = (int)Math.Ceiling(client.WatchTimeout.TotalSeconds);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await client.ListAsync(resource, ns, labelSelector, fieldSelector, ct);
                    var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                    foreach (var item in items)
                    {
                        item.Remove("status"); // memory: nothing reads another controller's status
                    }

                    resourceVersion = list.Obj("metadata").Str("resourceVersion") ?? string.Empty;
                    handler.Relisted(items);
                    Synced = true;
                    Progress();
                }

                await foreach (var e in client.WatchAsync(resource, ns, labelSelector, fieldSelector, resourceVersion, timeoutSeconds, ct))
                {
                    failures = 0;
                    Progress();
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

                Progress(); // the server ended the watch: resume from the last resourceVersion
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
                Progress();
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                failures++;
                Progress(); // a failed attempt is a step: an unreachable apiserver is not a hung loop
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

    private void Progress() => Interlocked.Exchange(ref lastProgressTicks, DateTime.UtcNow.Ticks);
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
