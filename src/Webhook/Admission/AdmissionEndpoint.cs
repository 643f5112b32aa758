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
    ValuesReview values, DriftGuard drift, InFlightBytes inFlight, WebhookMetrics metrics, ILogger<AdmissionEndpoint> logger)
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>An apiserver sends a UUID (36 characters); anything much longer is not from one and is never logged.</summary>
    public const int MaxUidLength = 128;

    public async Task HandleAsync(HttpContext context, bool mutate)
    {
        var endpoint = mutate ? "mutate" : "validate";
        var started = Stopwatch.GetTimestamp();
        // the body's bytes are taken from the in-flight budget before it is read, and given back once answered
        using var lease = await inFlight.TakeAsync(Math.Min(context.Request.ContentLength ?? WebhookApp.MaxRequestBodyBytes, WebhookApp.MaxRequestBodyBytes), context.RequestAborted);
        AdmissionReview? review;
        var body = ArrayPool<byte>.Shared.Rent(BufferFor(context.Request.ContentLength));
        try
        {
            var length = 0;
            try
            {
                // the whole body into the pooled buffer, grown as needed (Kestrel stops it at the body size limit)
                int read;
                while ((read = await context.Request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted)) > 0)
                {
                    length += read;
                    if (length == body.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(body.Length * 2);
                        body.AsSpan().CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(body);
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

            try
            {
                review = JsonSerializer.Deserialize(body.AsSpan(0, length), AdmissionJsonContext.Default.AdmissionReview);
            }
            catch (JsonException e)
            {
                await BadRequestAsync(context, 400, $"the body is not a valid AdmissionReview JSON document (line {e.LineNumber}, byte {e.BytePositionInLine})");
                return;
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json: an escaped lone surrogate ("\ud800") where a string is read
                await BadRequestAsync(context, 400, "the body holds a string that is not valid Unicode (a lone surrogate escape)");
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }

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
            return drift.Review(request, uid);
        }

        return Verdicts.Allow(uid);
    }

    private static int BufferFor(long? contentLength) =>
        contentLength is { } n and > 0 ? (int)Math.Min(n + 1, WebhookApp.MaxRequestBodyBytes + 1) : 16 * 1024; // +1: a full buffer is not mistaken for more to come

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

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error on {Endpoint} for request {Uid}: {ErrorType}; denied")]
    private static partial void LogInternalError(ILogger logger, string endpoint, string uid, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "denied {Endpoint} {Uid}: {Operation} {Kind} {Namespace}/{Name} by {User} (dryRun {DryRun})")]
    private static partial void LogDenied(ILogger logger, string endpoint, string uid, string operation, string kind, string @namespace, string name, string user, bool dryRun);
}
