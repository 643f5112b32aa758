namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>
/// A handler in a client's pipeline that, once armed, lets a number of writes (POST, PUT, PATCH, DELETE) through and
/// holds every later one until released: a test can stop a reconcile between two writes, do something to the cluster,
/// and let it go on, instead of polling a counter and hoping to land in the middle.
/// </summary>
public sealed class WriteGate : DelegatingHandler
{
    private readonly Lock gate = new();
    private TaskCompletionSource holding = New();
    private TaskCompletionSource released = Completed();
    private int allowance = -1; // -1: not armed

    /// <summary>Completes when a write is held.</summary>
    public Task Holding
    {
        get
        {
            lock (gate)
            {
                return holding.Task;
            }
        }
    }

    /// <summary>Lets <paramref name="writes"/> more writes through, then holds the rest.</summary>
    public void Arm(int writes)
    {
        lock (gate)
        {
            allowance = writes;
            holding = New();
            released = New();
        }
    }

    /// <summary>Lets every held write (and every later one) go.</summary>
    public void Release()
    {
        lock (gate)
        {
            allowance = -1;
            released.TrySetResult();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get)
        {
            Task wait;
            lock (gate)
            {
                if (allowance > 0)
                {
                    allowance--;
                }

                wait = allowance == 0 ? released.Task : Task.CompletedTask;
                if (allowance == 0)
                {
                    holding.TrySetResult();
                }
            }

            await wait.WaitAsync(cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource Completed()
    {
        var tcs = New();
        tcs.SetResult();
        return tcs;
    }
}
