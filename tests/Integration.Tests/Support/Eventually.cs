using Xunit;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>Bounded polling for things the cluster does asynchronously; the timeout is a limit, never an assertion on speed.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what}: still not the case after {timeout.TotalSeconds} s");
            }

            await Task.Delay(Interval);
        }
    }
}
