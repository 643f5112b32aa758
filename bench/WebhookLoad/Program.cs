using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiGatewayModels.Benchmarks;

// Load generator for the webhook: N keep-alive HTTPS clients post an AdmissionReview (a values ConfigMap with M models)
// to /validate for D seconds. Usage: WebhookLoad <base-url> [clients=100] [seconds=20] [models=100] [same|distinct]
// same: every request carries the same values (the webhook's evaluation cache answers all but the first);
// distinct: every request's values differ (a counter in a YAML comment), so the cache never hits.
// The server's certificate is not verified (a loopback benchmark); the webhook's tests cover TLS trust.
var baseUrl = new Uri(args[0]);
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var models = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
var distinct = args.Length > 4 && args[4] == "distinct";
const string Marker = "# request 0000000000";

var values = new StringBuilder(Marker + "\ngatewayRef:\n  name: ai-gateway\nbackends:\n");
foreach (var b in (string[])["openai", "azure"])
{
    values.Append(CultureInfo.InvariantCulture, $"  {b}:\n    resourceName: {b}-backend\n    schema: OpenAI\n    fqdn:\n      hostname: {b}.example.com\n      port: 443\n    apiKeySecretRef:\n      name: {b}-apikey\n      key: apiKey\n");
}

values.Append("models:\n");
for (var i = 0; i < models; i++)
{
    values.Append(CultureInfo.InvariantCulture, $"  model-{i}:\n    backends:\n      primary:\n        ref: openai\n      secondary:\n        ref: azure\n");
}

var body = ValuesConfigMapReview.Build(values.ToString(), "CREATE");
var counterAt = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)) + Marker.Length - 10;
long sequence = 0;
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = clients,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
#pragma warning disable CA5359 // a loopback benchmark against a throw-away certificate
    SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
};
using var http = new HttpClient(handler);
var url = new Uri(baseUrl, "/validate");

async Task<bool> Once()
{
    var bytes = body;
    if (distinct)
    {
        bytes = (byte[])body.Clone();
        Encoding.ASCII.GetBytes(Interlocked.Increment(ref sequence).ToString("D10", CultureInfo.InvariantCulture), bytes.AsSpan(counterAt));
    }

    using var content = new ByteArrayContent(bytes);
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync(url, content);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode && text.Contains("\"allowed\":true", StringComparison.Ordinal);
}

if (!await Once())
{
    Console.Error.WriteLine("the review is not allowed; check the values");
    return 1;
}

// warm-up: JIT, connections, TLS sessions
var warm = DateTime.UtcNow.AddSeconds(3);
await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ => { while (DateTime.UtcNow < warm) { await Once(); } }));

var latencies = new List<double>[clients];
var failures = 0;
var stop = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
{
    var mine = latencies[c] = new List<double>(100_000);
    while (stop.Elapsed.TotalSeconds < seconds)
    {
        var t = Stopwatch.GetTimestamp();
        if (!await Once())
        {
            Interlocked.Increment(ref failures);
        }

        mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
}));
var elapsed = stop.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"clients={clients} models={models} values={(distinct ? "distinct" : "same")} body={body.Length}B requests={all.Length} failures={failures} seconds={elapsed:F1} rps={all.Length / elapsed:F0} p50={P(0.50):F2}ms p90={P(0.90):F2}ms p99={P(0.99):F2}ms max={all[^1]:F2}ms"));
return failures == 0 ? 0 : 2;
