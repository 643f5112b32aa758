namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>
/// A handler in a client's pipeline that can freeze its watches: while <see cref="Frozen"/>, every watch stream (open
/// ones included) delivers nothing, not even its end, as a connection that died without a reset would. Other requests
/// pass.
/// </summary>
public sealed class WatchFreeze : DelegatingHandler
{
    private volatile TaskCompletionSource thawed = NewThawed(completed: true);

    public bool Frozen
    {
        get => !thawed.Task.IsCompleted;
        set
        {
            if (value && !Frozen)
            {
                thawed = NewThawed(completed: false);
            }
            else if (!value)
            {
                thawed.TrySetResult();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true)
        {
            var headers = response.Content.Headers.ToList();
            response.Content = new StreamContent(new FreezableStream(await response.Content.ReadAsStreamAsync(cancellationToken), this));
            foreach (var (key, values) in headers)
            {
                response.Content.Headers.TryAddWithoutValidation(key, values);
            }
        }

        return response;
    }

    private static TaskCompletionSource NewThawed(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }

    private sealed class FreezableStream(Stream inner, WatchFreeze freeze) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await freeze.thawed.Task.WaitAsync(cancellationToken); // before the read: nothing is delivered while frozen
            var n = await inner.ReadAsync(buffer, cancellationToken);
            await freeze.thawed.Task.WaitAsync(cancellationToken); // nor what arrived as it froze
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
