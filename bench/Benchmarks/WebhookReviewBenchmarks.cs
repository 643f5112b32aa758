using AiGatewayModels.Common.Policy;
using AiGatewayModels.Kube;
using AiGatewayModels.Webhook;
using AiGatewayModels.Webhook.Admission;
using AiGatewayModels.Webhook.Cluster;
using AiGatewayModels.Webhook.Observability;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// One AdmissionReview of a values ConfigMap through the webhook's real endpoint code (<c>POST /validate</c>'s handler on
/// a <see cref="DefaultHttpContext"/>: JSON in, every engine rule, JSON out), without TLS and sockets, and without a
/// cluster (no cross-object checks). Cached: the same values again (what the apiserver mostly sends); Uncached: a fresh
/// evaluation cache for every review, so the engine evaluates every time.
/// </summary>
[MemoryDiagnoser]
public class WebhookReviewBenchmarks : IDisposable
{
    private byte[] body = [];
    private WebhookMetrics metrics = null!;
    private PolicyWatch policy = null!;
    private DriftGuard drift = null!;
    private readonly ReviewBudget budget = new(InFlightBytes.DefaultBytes, ReviewBudget.DefaultJudgingBytes, ReviewBudget.DefaultWait);
    private WebhookSettings settings = null!;
    private AdmissionEndpoint cached = null!;

    [Params(10, 100)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        body = ValuesConfigMapReview.Build(ValuesGenerator.Generate(Models), "UPDATE");
        metrics = new WebhookMetrics();
        policy = new PolicyWatch(null, null, PolicyWatch.DefaultName, metrics.Meter, "webhook", NoKubeLog.Instance);
        settings = new WebhookSettings("unused", "unused", null, WebhookSettings.DefaultPolicyConfigMap, WebhookSettings.DefaultExpanderUsername, true, null);
        drift = new DriftGuard(settings, new NoCluster());
        cached = Endpoint(new EvaluationCache(metrics));
        if (!Review(cached).Contains("\"allowed\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the generated values are not allowed: " + Review(cached));
        }
    }

    public void Dispose()
    {
        metrics.Dispose();
        budget.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public string Cached() => Review(cached);

    [Benchmark]
    public string Uncached() => Review(Endpoint(new EvaluationCache(metrics)));

    private AdmissionEndpoint Endpoint(EvaluationCache cache) =>
        new(new ValuesReview(policy, new NoCluster(), cache, settings), drift, budget, metrics, NullLogger<AdmissionEndpoint>.Instance);

    private string Review(AdmissionEndpoint endpoint)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body, writable: false);
        using var response = new MemoryStream();
        context.Response.Body = response;
        endpoint.HandleAsync(context, mutate: false).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(response.GetBuffer(), 0, (int)response.Length);
    }
}
