namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// What the reviews being answered may hold at once, and how long one waits for room. Two byte budgets, because a
/// review costs little while its body is read and much while it is judged: the body is its bytes once, the judging
/// holds its parsed JSON, the values as a string, their tree, the model and the findings: tens of MiB for the largest
/// values (docs/security.md adds them up). <see cref="Bodies"/> admits bodies to be read (the others stay unread in Kestrel's 64 KiB
/// per connection); <see cref="Judging"/> admits read bodies to be judged, charged their size, so that many small
/// reviews are judged side by side and large ones one after the other. A review that finds no room within
/// <see cref="Wait"/> (counted from its arrival, below the webhook's timeoutSeconds of 5) is answered 429 with
/// Retry-After, which the apiserver retries within its timeout and otherwise refuses (failurePolicy Fail): never an allow.
/// </summary>
internal sealed class ReviewBudget(long bodyBytes, long judgingBytes, TimeSpan wait) : IDisposable
{
    /// <summary>The default judging budget: one review of the largest values at a time, or many usual ones of a few KiB.</summary>
    public const long DefaultJudgingBytes = 1L * 1024 * 1024;

    /// <summary>The default wait: below the 5 s timeoutSeconds of deploy/manifests, leaving time to judge and answer.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(3);

    public InFlightBytes Bodies { get; } = new(bodyBytes);

    public InFlightBytes Judging { get; } = new(judgingBytes);

    public TimeSpan Wait { get; } = wait;

    public void Dispose()
    {
        Bodies.Dispose();
        Judging.Dispose();
    }
}
