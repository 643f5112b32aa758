using System.Diagnostics.Metrics;
using AiGatewayModels.Common.Metrics;

namespace AiGatewayModels.Webhook.Observability;

/// <summary>
/// The webhook's instruments (System.Diagnostics.Metrics, a meter of its own) and their Prometheus text, written by the
/// exporter both programs share. Cheap enough to update on every review: a counter add and a histogram record.
/// </summary>
public sealed class WebhookMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private readonly MetricSet set = new("AiGatewayModels.Webhook");
    private readonly Counter<long> reviews;
    private readonly Counter<long> badRequests;
    private readonly Counter<long> internalErrors;
    private readonly Counter<long> busy;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> cacheMisses;
    private readonly Counter<long> cacheSkips;
    private readonly Counter<long> certificateReloads;
    private readonly Counter<long> certificateReloadErrors;
    private readonly Histogram<double> durations;

    public WebhookMetrics()
    {
        var m = set.Meter;
        reviews = m.CreateCounter<long>("webhook_admission_reviews_total", description: "AdmissionReviews answered, by endpoint and outcome.");
        badRequests = set.Counter("webhook_bad_requests_total", "Requests refused with a 4xx answer (not an AdmissionReview, too large, malformed).");
        internalErrors = set.Counter("webhook_internal_errors_total", "Unexpected errors turned into a denial.");
        busy = m.CreateCounter<long>("webhook_busy_total", description: "Reviews answered 429 because the body or judging budget had no room for them within the wait, by budget.");
        cacheHits = set.Counter("webhook_evaluation_cache_hits_total", "Values evaluations answered from the cache (same namespace, name, values and policy).");
        cacheMisses = set.Counter("webhook_evaluation_cache_misses_total", "Values evaluations computed by the engine.");
        cacheSkips = set.Counter("webhook_evaluation_cache_skips_total", "Evaluations too large to keep in the evaluation cache's byte budget (answered, not cached).");
        certificateReloads = set.Counter("webhook_certificate_reloads_total", "Serving certificates loaded after the files changed.");
        certificateReloadErrors = set.Counter("webhook_certificate_reload_errors_total", "Changed certificate files that could not be loaded (the last good certificate stays).");
        durations = m.CreateHistogram("webhook_admission_review_duration_seconds", unit: "s", description: "Time to answer one AdmissionReview.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>The meter, for instruments created elsewhere (the policy watch's).</summary>
    public Meter Meter => set.Meter;

    public void Review(string endpoint, string outcome, double seconds)
    {
        reviews.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));
        durations.Record(seconds, new KeyValuePair<string, object?>("endpoint", endpoint));
    }

    public void BadRequest() => badRequests.Add(1);

    public void InternalError() => internalErrors.Add(1);

    public void Busy(string budget) => busy.Add(1, new KeyValuePair<string, object?>("budget", budget));

    public void EvaluationCacheHit() => cacheHits.Add(1);

    public void EvaluationCacheMiss() => cacheMisses.Add(1);

    public void EvaluationCacheSkip() => cacheSkips.Add(1);

    public void CertificateReloaded() => certificateReloads.Add(1);

    public void CertificateReloadFailed() => certificateReloadErrors.Add(1);

    public string Render() => set.Render();

    public void Dispose() => set.Dispose();
}
