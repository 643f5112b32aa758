using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace AiGatewayModels.Webhook.Observability;

/// <summary>
/// Hand-rolled Prometheus metrics (text exposition format 0.0.4): a few counters and one latency histogram.
/// No reflection and no dependency, and cheap enough to update on every review.
/// </summary>
public sealed class WebhookMetrics
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly ConcurrentDictionary<(string Endpoint, string Outcome), long> reviews = new();
    private readonly ConcurrentDictionary<string, Histogram> durations = new(StringComparer.Ordinal);
    private long badRequests;
    private long internalErrors;
    private long policyErrors;
    private long policyReloads;
    private long certificateReloads;
    private long certificateReloadErrors;
    private int policyValid = 1;
    private long evaluationCacheHits;
    private long evaluationCacheMisses;

    public void Review(string endpoint, string outcome, double seconds)
    {
        reviews.AddOrUpdate((endpoint, outcome), 1, (_, v) => v + 1);
        durations.GetOrAdd(endpoint, _ => new Histogram()).Observe(seconds);
    }

    public void BadRequest() => Interlocked.Increment(ref badRequests);

    public void InternalError() => Interlocked.Increment(ref internalErrors);

    public void PolicyLoaded()
    {
        Interlocked.Increment(ref policyReloads);
        Volatile.Write(ref policyValid, 1);
    }

    public void PolicyRejected()
    {
        Interlocked.Increment(ref policyErrors);
        Volatile.Write(ref policyValid, 0);
    }

    public void EvaluationCacheHit() => Interlocked.Increment(ref evaluationCacheHits);

    public void EvaluationCacheMiss() => Interlocked.Increment(ref evaluationCacheMisses);

    public void CertificateReloaded() => Interlocked.Increment(ref certificateReloads);

    public void CertificateReloadFailed() => Interlocked.Increment(ref certificateReloadErrors);

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP webhook_admission_reviews_total AdmissionReviews answered, by endpoint and outcome.\n");
        sb.Append("# TYPE webhook_admission_reviews_total counter\n");
        foreach (var ((endpoint, outcome), value) in reviews.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Key.Outcome, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"webhook_admission_reviews_total{{endpoint=\"{endpoint}\",outcome=\"{outcome}\"}} {value}\n");
        }

        Counter(sb, "webhook_bad_requests_total", "Requests refused with a 4xx answer (not an AdmissionReview, too large, malformed).", badRequests);
        Counter(sb, "webhook_internal_errors_total", "Unexpected errors turned into a denial.", internalErrors);
        Counter(sb, "webhook_policy_reloads_total", "Policy ConfigMap versions applied.", policyReloads);
        Counter(sb, "webhook_policy_errors_total", "Policy ConfigMap versions refused (the last good policy stays in force).", policyErrors);
        sb.Append("# HELP webhook_policy_valid 1 when the policy ConfigMap in the cluster is the one in force, 0 when it is broken.\n");
        sb.Append("# TYPE webhook_policy_valid gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"webhook_policy_valid {Volatile.Read(ref policyValid)}\n");
        Counter(sb, "webhook_evaluation_cache_hits_total", "Values evaluations answered from the cache (same namespace, name, values and policy).", evaluationCacheHits);
        Counter(sb, "webhook_evaluation_cache_misses_total", "Values evaluations computed by the engine.", evaluationCacheMisses);
        Counter(sb, "webhook_certificate_reloads_total", "Serving certificates loaded after the files changed.", certificateReloads);
        Counter(sb, "webhook_certificate_reload_errors_total", "Changed certificate files that could not be loaded (the last good certificate stays).", certificateReloadErrors);

        sb.Append("# HELP webhook_admission_review_duration_seconds Time to answer one AdmissionReview.\n");
        sb.Append("# TYPE webhook_admission_review_duration_seconds histogram\n");
        foreach (var (endpoint, h) in durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            h.Write(sb, endpoint);
        }

        RuntimeMetrics.Write(sb);
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value)
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {Interlocked.Read(ref value)}\n");
    }

    private sealed class Histogram
    {
        private readonly long[] counts = new long[Buckets.Length + 1];
        private long sumMicros;

        public void Observe(double seconds)
        {
            var i = 0;
            while (i < Buckets.Length && seconds > Buckets[i])
            {
                i++;
            }

            Interlocked.Increment(ref counts[i]);
            Interlocked.Add(ref sumMicros, (long)(seconds * 1_000_000));
        }

        public void Write(StringBuilder sb, string endpoint)
        {
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref counts[i]);
                sb.Append(CultureInfo.InvariantCulture, $"webhook_admission_review_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{Buckets[i]}\"}} {cumulative}\n");
            }

            cumulative += Interlocked.Read(ref counts[Buckets.Length]);
            sb.Append(CultureInfo.InvariantCulture, $"webhook_admission_review_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {cumulative}\n");
            sb.Append(CultureInfo.InvariantCulture, $"webhook_admission_review_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {Interlocked.Read(ref sumMicros) / 1_000_000.0}\n");
            sb.Append(CultureInfo.InvariantCulture, $"webhook_admission_review_duration_seconds_count{{endpoint=\"{endpoint}\"}} {cumulative}\n");
        }
    }
}
