using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using AiGatewayModels.Webhook.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// POST /validate and POST /mutate. Anything that is not a well-formed admission.k8s.io/v1 AdmissionReview gets a 4xx;
/// an unexpected failure while judging a well-formed one becomes a denial (never a 500, never a silent allow).
/// </summary>
internal sealed partial class AdmissionEndpoint(
    ValuesReview values, DriftGuard drift, ReviewBudget budget, WebhookMetrics metrics, ILogger<AdmissionEndpoint> logger)
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>An apiserver sends a UUID (36 characters); anything much longer is not from one and is never logged.</summary>
    public const int MaxUidLength = 128;

    public async Task HandleAsync(HttpContext context, bool mutate)
    {
        var endpoint = mutate ? "mutate" : "validate";
        var started = Stopwatch.GetTimestamp();
        // the body's bytes are taken from the body budget before it is read and given back once answered; its size is
        // taken from the judging budget once read and given back once judged (ReviewBudget); waiting for either ends
        // at the same deadline
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(budget.Wait);
        var declared = Math.Min(context.Request.ContentLength ?? WebhookApp.MaxRequestBodyBytes, WebhookApp.MaxRequestBodyBytes);
        if (await TakeAsync(budget.Bodies, declared, deadline.Token, context.RequestAborted) is not { } bodyLease)
        {
            await BusyAsync(context, "bodies");
            return;
        }

        using var heldBody = bodyLease;
        InFlightBytes.Lease judging;
        AdmissionReview? review;
        var body = RentBody(BufferFor(context.Request.ContentLength));
        try
        {
            var length = 0;
            try
            {
                // the whole body into the buffer, grown as needed (Kestrel stops it at the body size limit)
                int read;
                while ((read = await context.Request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted)) > 0)
                {
                    length += read;
                    if (length == body.Length)
                    {
                        var larger = RentBody(body.Length * 2);
                        body.AsSpan().CopyTo(larger);
                        ReturnBody(body);
                        body = larger;
                    }
                }
            }
            catch (BadHttpRequestException e)
            {
                await BadRequestAsync(context, e.StatusCode, e.StatusCode == 413 ? "the request body is too large" : "the request body could not be read");
                return;
            }

            // what is not Unicode text is refused here, not found later as an exception deep in a rule
            if (UnicodeText.Problem(body.AsSpan(0, length)) is { } problem)
            {
                await BadRequestAsync(context, 400, problem);
                return;
            }

            if (await TakeAsync(budget.Judging, length, deadline.Token, context.RequestAborted) is not { } judgingLease)
            {
                await BusyAsync(context, "judging");
                return;
            }

            judging = judgingLease;
            try
            {
                review = JsonSerializer.Deserialize(body.AsSpan(0, length), AdmissionJsonContext.Default.AdmissionReview);
            }
            catch (JsonException e)
            {
                judging.Dispose();
                await BadRequestAsync(context, 400, $"the body is not a valid AdmissionReview JSON document (line {e.LineNumber}, byte {e.BytePositionInLine})");
                return;
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json: an escaped lone surrogate ("\ud800") where a string is read
                judging.Dispose();
                await BadRequestAsync(context, 400, "the body holds a string that is not valid Unicode (a lone surrogate escape)");
                return;
            }
            catch
            {
                judging.Dispose(); // whatever else escapes (the global guard answers it), the budget gets its bytes back
                throw;
            }
        }
        finally
        {
            ReturnBody(body);
        }

        using (judging)
        {
            await AnswerAsync(context, review, endpoint, mutate, started);
        }
    }

    private async Task AnswerAsync(HttpContext context, AdmissionReview? review, string endpoint, bool mutate, long started)
    {
        if (review is null || review.ApiVersion != ApiVersion || review.Kind != "AdmissionReview")
        {
            await BadRequestAsync(context, 400, $"expected apiVersion {ApiVersion} and kind AdmissionReview");
            return;
        }

        if (review.Request is not { Uid: { Length: > 0 } uid } request)
        {
            await BadRequestAsync(context, 400, "the AdmissionReview has no request.uid");
            return;
        }

        if (uid.Length > MaxUidLength || uid.Any(c => c is < '!' or > '~'))
        {
            // not logged, not echoed: only its shape is named
            await BadRequestAsync(context, 400, $"request.uid is not a UID an apiserver sends (at most {MaxUidLength} printable ASCII characters; an apiserver sends a 36-character UUID)");
            return;
        }

        AdmissionResponse response;
        try
        {
            response = await DecideAsync(request, uid, mutate, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Type only: an exception message may quote the object, and the object may hold a secret.
            metrics.InternalError();
            LogInternalError(logger, endpoint, uid, e.GetType().FullName ?? "?");
            response = Verdicts.Deny(uid, "the models webhook could not judge this request (internal error, see the webhook log); try again", 403);
        }

        var outcome = response.Allowed ? (response.Patch is null ? "allowed" : "patched") : "denied";
        metrics.Review(endpoint, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!response.Allowed)
        {
            LogDenied(logger, endpoint, uid, request.Operation ?? "?", request.Kind?.Kind ?? "?", request.Namespace ?? "", request.Name ?? "",
                request.UserInfo?.Username ?? "?", request.DryRun == true);
        }

        var answer = new AdmissionReview { ApiVersion = ApiVersion, Kind = "AdmissionReview", Response = response };
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, AdmissionJsonContext.Default.AdmissionReview, context.RequestAborted);
    }

    private async Task<AdmissionResponse> DecideAsync(AdmissionRequest request, string uid, bool mutate, CancellationToken cancellationToken)
    {
        // dryRun needs no special path: judging has no side effects, so a dry run is judged exactly like a real request.
        var kind = request.Kind;
        if (kind is { Kind: "ConfigMap" } && string.IsNullOrEmpty(kind.Group))
        {
            return mutate ? await values.MutateAsync(request, uid, cancellationToken) : await values.ValidateAsync(request, uid, cancellationToken);
        }

        if (!mutate && DriftGuard.Guards(kind))
        {
            return await drift.ReviewAsync(request, uid, cancellationToken);
        }

        return Verdicts.Allow(uid);
    }

    /// <summary>The lease, or null when the deadline passed first (the client going away cancels as usual).</summary>
    private static async ValueTask<InFlightBytes.Lease?> TakeAsync(InFlightBytes bytes, long wanted, CancellationToken deadline, CancellationToken aborted)
    {
        try
        {
            return await bytes.TakeAsync(wanted, deadline);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Small bodies come from the shared pool; large ones are allocated for the request and left to the GC: the shared
    /// pool keeps up to 32 arrays of each size per core, which for 1 MiB bodies was 30 MiB held for good after a burst.
    /// </summary>
    private static byte[] RentBody(int size) =>
        size <= PooledBodyBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private static void ReturnBody(byte[] body)
    {
        if (body.Length <= PooledBodyBytes)
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private const int PooledBodyBytes = 64 * 1024;

    private static int BufferFor(long? contentLength) =>
        contentLength is { } n and > 0 ? (int)Math.Min(n + 1, WebhookApp.MaxRequestBodyBytes + 1) : 16 * 1024; // +1: a full buffer is not mistaken for more to come

    /// <summary>No room within the wait: 429 with Retry-After (the apiserver retries within its timeout, then refuses).</summary>
    private async Task BusyAsync(HttpContext context, string budgetName)
    {
        metrics.Busy(budgetName);
        LogBusy(logger, context.Request.Path.Value ?? "", budgetName, budget.Wait.TotalSeconds);
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            new ErrorBody { Error = $"the webhook is answering as many reviews as its memory bounds allow and this one found no room within {budget.Wait.TotalSeconds:0.#} s; try again" },
            AdmissionJsonContext.Default.ErrorBody,
            context.RequestAborted);
    }

    private async Task BadRequestAsync(HttpContext context, int status, string message)
    {
        metrics.BadRequest();
        LogBadRequest(logger, context.Request.Path.Value ?? "", status, message);
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody { Error = message }, AdmissionJsonContext.Default.ErrorBody, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "bad request on {Path}: {Status} {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "busy on {Path}: no room in the {Budget} budget within {Seconds} s; answered 429")]
    private static partial void LogBusy(ILogger logger, string path, string budget, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error on {Endpoint} for request {Uid}: {ErrorType}; denied")]
    private static partial void LogInternalError(ILogger logger, string endpoint, string uid, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "denied {Endpoint} {Uid}: {Operation} {Kind} {Namespace}/{Name} by {User} (dryRun {DryRun})")]
    private static partial void LogDenied(ILogger logger, string endpoint, string uid, string operation, string kind, string @namespace, string name, string user, bool dryRun);
}
