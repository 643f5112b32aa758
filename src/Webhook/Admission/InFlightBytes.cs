namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// A budget of request-body bytes (<see cref="ReviewBudget"/> keeps one for bodies being read and one for bodies being
/// judged). A review takes its size before the step and gives it back after; the others wait asynchronously. One review
/// always fits whatever its size, so the largest body allowed is never refused. Units of 64 KiB keep the semaphore small.
/// </summary>
internal sealed class InFlightBytes : IDisposable
{
    /// <summary>The default body budget: nine bodies of the largest ConfigMap at once, many more of the usual few KiB.</summary>
    public const long DefaultBytes = 8L * 1024 * 1024;

    private const int Unit = 64 * 1024;

    private readonly SemaphoreSlim units;
    private readonly SemaphoreSlim takers = new(1); // one taker at a time: two large reviews never each hold half
    private readonly int total;

    public InFlightBytes(long bytes = DefaultBytes)
    {
        total = (int)Math.Max(1, Math.Min(int.MaxValue, bytes / Unit));
        units = new SemaphoreSlim(total, total);
    }

    /// <summary>Waits until <paramref name="bytes"/> fit; dispose the answer to give them back.</summary>
    public async ValueTask<Lease> TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        var wanted = (int)Math.Clamp((bytes / Unit) + (bytes % Unit == 0 ? 0 : 1), 1, total); // rounded up, without overflow
        var taken = 0;
        await takers.WaitAsync(cancellationToken);
        try
        {
            for (; taken < wanted; taken++)
            {
                await units.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            if (taken > 0)
            {
                units.Release(taken);
            }

            throw;
        }
        finally
        {
            takers.Release();
        }

        return new Lease(units, wanted);
    }

    /// <summary>Bytes free now (for tests and metrics).</summary>
    public long Available => (long)units.CurrentCount * Unit;

    public void Dispose()
    {
        units.Dispose();
        takers.Dispose();
    }

    internal readonly struct Lease(SemaphoreSlim units, int count) : IDisposable
    {
        public void Dispose() => units.Release(count);
    }
}
