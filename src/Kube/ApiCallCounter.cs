namespace AiGatewayModels.Kube;

/// <summary>Counts requests by verb as they leave the client: the proof that a no-op resync writes nothing.</summary>
public sealed class ApiCallCounter : DelegatingHandler
{
    private long reads;
    private long writes;

    public long Reads => Interlocked.Read(ref reads);

    public long Writes => Interlocked.Read(ref writes);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            Interlocked.Increment(ref reads);
        }
        else
        {
            Interlocked.Increment(ref writes);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
