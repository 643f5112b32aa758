using AiGatewayModels.Webhook.Admission;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>The budget of request bytes read and judged at once: what does not fit waits, and one request always fits.</summary>
public sealed class InFlightBytesTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task What_does_not_fit_waits_until_bytes_are_given_back()
    {
        using var budget = new InFlightBytes(4 * MiB);
        var first = await budget.TakeAsync(3 * MiB, CancellationToken.None);
        Assert.Equal(1 * MiB, budget.Available);
        var second = budget.TakeAsync(2 * MiB, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        using (await second)
        {
            Assert.Equal(2 * MiB, budget.Available);
        }

        Assert.Equal(4 * MiB, budget.Available);
    }

    [Fact]
    public async Task A_request_larger_than_the_budget_takes_all_of_it_and_is_not_refused()
    {
        using var budget = new InFlightBytes(1 * MiB);
        using (await budget.TakeAsync(3 * MiB, CancellationToken.None))
        {
            Assert.Equal(0, budget.Available);
        }

        Assert.Equal(1 * MiB, budget.Available);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_back_what_it_had_taken()
    {
        using var budget = new InFlightBytes(2 * MiB);
        var held = await budget.TakeAsync(1 * MiB, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.TakeAsync(2 * MiB, cancel.Token).AsTask(); // takes the free half, then waits for the rest
        await Task.Delay(50);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(2 * MiB, budget.Available);
    }

    [Fact]
    public async Task Small_requests_share_the_budget()
    {
        using var budget = new InFlightBytes(1 * MiB);
        var leases = new List<InFlightBytes.Lease>();
        for (var i = 0; i < 16; i++)
        {
            leases.Add(await budget.TakeAsync(1_000, CancellationToken.None)); // each charged one 64 KiB unit
        }

        Assert.Equal(0, budget.Available);
        leases.ForEach(l => l.Dispose());
        Assert.Equal(1 * MiB, budget.Available);
    }

    [Fact]
    public async Task A_request_of_any_size_takes_the_whole_budget_and_no_more()
    {
        // the size is rounded up to units without overflowing: long.MaxValue once wrapped around to one unit
        using var budget = new InFlightBytes(1 * MiB);
        using (await budget.TakeAsync(long.MaxValue, CancellationToken.None))
        {
            Assert.Equal(0, budget.Available);
        }

        Assert.Equal(1 * MiB, budget.Available);
    }
}
