using System.Threading.Channels;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// A rate-limited work queue keyed by ConfigMap ("namespace/name"), like client-go's: a key waiting in the queue is
/// there once however often it is added; a key being processed is not handed to a second worker, but is queued again
/// when it was added meanwhile; failures come back after an exponential backoff with jitter.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly TimeSpan minBackoff;
    private readonly TimeSpan maxBackoff;

    public WorkQueue(TimeSpan minBackoff, TimeSpan maxBackoff)
    {
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    /// <summary>Keys waiting (not counting keys being processed).</summary>
    public int Depth
    {
        get
        {
            lock (gate)
            {
                return dirty.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (gate)
        {
            if (!dirty.Add(key) || processing.Contains(key))
            {
                return; // already waiting, or re-queued by Done
            }
        }

        ready.Writer.TryWrite(key);
    }

    public void AddAfter(string key, TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = Task.Delay(delay, ct).ContinueWith(t =>
        {
            if (!t.IsCanceled)
            {
                Add(key);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Adds the key after its backoff: min × 2^(failures), capped, ±20% jitter.</summary>
    public TimeSpan AddRateLimited(string key, CancellationToken ct)
    {
        int n;
        lock (gate)
        {
            n = failures[key] = failures.GetValueOrDefault(key) + 1;
        }

        var delay = Kube.Backoff.Delay(n, minBackoff, maxBackoff);
        AddAfter(key, delay, ct);
        return delay;
    }

    /// <summary>Clears the failure count: the next failure starts the backoff again.</summary>
    public void Forget(string key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    public async ValueTask<string?> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            string key;
            try
            {
                key = await ready.Reader.ReadAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            lock (gate)
            {
                if (!dirty.Remove(key))
                {
                    continue;
                }

                processing.Add(key);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!dirty.Contains(key))
            {
                return;
            }
        }

        ready.Writer.TryWrite(key);
    }
}
