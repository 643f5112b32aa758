using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiGatewayModels.Benchmarks;

// Load generator for the webhook: N keep-alive HTTPS clients post an AdmissionReview (a values ConfigMap with M models)
// to /validate for D seconds.
// Usage: WebhookLoad <base-url> [clients=100] [seconds=20] [models=100] [same|distinct|large] [rate=0]
// same: every request carries the same values (the webhook's evaluation cache answers all but the first);
// distinct: every request's values differ (a counter in a YAML comment), so the cache never hits;
// large: distinct values of ~850 KB (near a ConfigMap's 1 MiB), alternately valid (the models, then a long comment)
//   and invalid (8,000 models whose backends do not exist: 8,000 findings), the mix that once grew the cache without
//   bound. Success is an answer, allowed for the valid half and denied for the invalid half; a 429 (the webhook had no
//   room within its wait, docs/security.md) is counted as busy, apart from failures.
// rate=0 (closed loop): each client sends its next request as soon as the previous answer arrives, which measures the
//   most the server can do; by Little's law the mean latency is then clients / throughput, whatever the server's speed.
// rate=R (open loop, constant arrival rate, like wrk2 or k6's constant-arrival-rate): request i is due at i/R seconds
//   and is sent by whichever of the N clients is free. A request that finds every client busy waits, and its latency
//   counts from when it was due, so a server stall shows in the percentiles instead of slowing the load down
//   ("coordinated omission"). A request sent on time counts from when it was sent. Requests still unsent when the time
//   is up are not sent and are reported as unsent: the server could not keep up with the offered rate.
// The server's certificate is not verified (a loopback benchmark); the webhook's tests cover TLS trust.
var baseUrl = new Uri(args[0]);
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var models = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
var large = args.Length > 4 && args[4] == "large";
var distinct = large || (args.Length > 4 && args[4] == "distinct");
var rate = args.Length > 5 ? double.Parse(args[5], CultureInfo.InvariantCulture) : 0;
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

const int LargeChars = 850 * 1000;
if (large)
{
    values.Append("# padding: a valid ConfigMap near the size limit\n");
    while (values.Length < LargeChars)
    {
        values.Append("# ").Append('x', 97).Append('\n');
    }
}

var invalid = new StringBuilder(Marker + "\ngatewayRef:\n  name: ai-gateway\nmodels:\n");
for (var i = 0; large && invalid.Length < LargeChars; i++)
{
    invalid.Append(CultureInfo.InvariantCulture, $"  model-{i}:\n    backends:\n      primary:\n        ref: missing-{i}\n");
}

var body = ValuesConfigMapReview.Build(values.ToString(), "CREATE");
var counterAt = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)) + Marker.Length - 10;
var invalidBody = ValuesConfigMapReview.Build(invalid.ToString(), "CREATE");
var invalidCounterAt = invalidBody.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)) + Marker.Length - 10;
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

// the answer to one review: right (valid allowed, invalid denied), busy (429: the webhook's memory bounds had no room
// for it within its wait; the apiserver retries or refuses, never allows) or wrong (anything else, an allow of invalid
// values included)
async Task<Outcome> Once(bool? valid = null)
{
    var n = Interlocked.Increment(ref sequence);
    var denied = large && (valid == false || (valid is null && n % 2 == 0));
    var (template, at) = denied ? (invalidBody, invalidCounterAt) : (body, counterAt);
    var bytes = template;
    if (distinct)
    {
        bytes = (byte[])template.Clone();
        Encoding.ASCII.GetBytes(n.ToString("D10", CultureInfo.InvariantCulture), bytes.AsSpan(at));
    }

    using var content = new ByteArrayContent(bytes);
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync(url, content);
    var text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
    {
        return Outcome.Busy;
    }

    return response.IsSuccessStatusCode && text.Contains(denied ? "\"allowed\":false" : "\"allowed\":true", StringComparison.Ordinal) ? Outcome.Right : Outcome.Wrong;
}

if (await Once(valid: true) != Outcome.Right || (large && await Once(valid: false) != Outcome.Right))
{
    Console.Error.WriteLine("the review is not answered as expected (valid values allowed, invalid ones denied); check the values");
    return 1;
}

// warm-up: JIT, connections, TLS sessions
var warm = DateTime.UtcNow.AddSeconds(3);
await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ => { while (DateTime.UtcNow < warm) { await Once(); } }));

var latencies = new List<double>[clients];
var failures = 0;
var busy = 0;
long late = 0;
long due = -1;
var ticksPerRequest = rate > 0 ? Stopwatch.Frequency / rate : 0;
var start = Stopwatch.GetTimestamp();
var end = start + (seconds * Stopwatch.Frequency);
await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
{
    var mine = latencies[c] = new List<double>(100_000);
    while (true)
    {
        long origin;
        if (rate > 0)
        {
            var dueAt = start + (long)(Interlocked.Increment(ref due) * ticksPerRequest);
            if (dueAt >= end || Stopwatch.GetTimestamp() >= end)
            {
                // past the end: a request that was due but never sent is counted below as unsent, not waited for
                break;
            }

            var early = dueAt - Stopwatch.GetTimestamp();
            if (early > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)early / Stopwatch.Frequency));
                origin = Stopwatch.GetTimestamp();
            }
            else
            {
                origin = dueAt;
                if (-early > Stopwatch.Frequency / 1000)
                {
                    Interlocked.Increment(ref late);
                }
            }
        }
        else
        {
            origin = Stopwatch.GetTimestamp();
            if (origin >= end)
            {
                break;
            }
        }

        switch (await Once())
        {
            case Outcome.Busy:
                Interlocked.Increment(ref busy);
                break;
            case Outcome.Wrong:
                Interlocked.Increment(ref failures);
                break;
        }

        mine.Add(Stopwatch.GetElapsedTime(origin).TotalMilliseconds);
    }
}));
var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
var unsent = rate > 0 ? (long)(rate * seconds) - all.Length : 0;
var mode = rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"open-loop rate={rate:F0}/s late={late} unsent={unsent}") : "closed-loop";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode} clients={clients} models={models} values={(large ? "large" : distinct ? "distinct" : "same")} body={body.Length}B{(large ? $"/{invalidBody.Length}B" : "")} requests={all.Length} failures={failures} busy={busy} seconds={elapsed:F1} rps={all.Length / elapsed:F0} mean={all.Average():F2}ms p50={P(0.50):F2}ms p90={P(0.90):F2}ms p99={P(0.99):F2}ms max={all[^1]:F2}ms"));
return failures == 0 && unsent == 0 ? 0 : 2;

internal enum Outcome
{
    Right,
    Busy,
    Wrong,
}
