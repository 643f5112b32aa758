using System.Net;
using System.Text;
using AiGatewayModels.TestSupport;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>What is not an AdmissionReview gets a 4xx, never a 500; the other endpoints answer.</summary>
public sealed class TransportTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    private WebhookServer Server => fixture.Server;

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"x\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"x\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}")]
    public async Task Malformed_bodies_get_400(string body)
    {
        foreach (var path in (string[])["/validate", "/mutate"])
        {
            var answer = await Server.PostAsync(path, body);
            Assert.Equal(400, answer.Status);
            Assert.Contains("\"error\"", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_oversized_body_gets_413()
    {
        var body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\",\"name\":\"" + new string('a', 4 * 1024 * 1024) + "\"}}";
        var before = await BadRequestsAsync();
        try
        {
            var answer = await Server.PostAsync("/validate", body);
            Assert.Equal(413, answer.Status);
        }
        catch (HttpRequestException)
        {
            // Kestrel answers 413 as soon as it sees the Content-Length and closes the connection: the client may still
            // be writing the body and see the reset instead of the answer. The counter shows the server refused it.
        }

        Assert.Equal(before + 1, await BadRequestsAsync());
    }

    /// <summary>Byte sequences that are not UTF-8: a stray byte, an overlong "/", a UTF-8-encoded surrogate, a cut-off sequence, a byte past U+10FFFF.</summary>
    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xF5, 0x80, 0x80, 0x80 })]
    public async Task Invalid_utf8_anywhere_in_a_review_is_a_400_that_says_so_and_no_internal_error(byte[] invalid)
    {
        var before = await CounterAsync("webhook_internal_errors_total");
        var json = Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues + "# MARK\n")).ToJsonString();
        var at = json.IndexOf("MARK", StringComparison.Ordinal);
        var prefix = Encoding.UTF8.GetBytes(json[..at]);
        var suffix = Encoding.UTF8.GetBytes(json[at..]);
        foreach (var path in (string[])["/validate", "/mutate"])
        {
            var answer = await PostBytesAsync(path, [.. prefix, .. invalid, .. suffix]);
            Assert.Equal(400, answer.Status);
            Assert.Contains("not valid UTF-8", answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CounterAsync("webhook_internal_errors_total"));
    }

    /// <summary>
    /// An escaped lone surrogate passes JSON's grammar though it is not Unicode text and no apiserver sends one: a 400 that
    /// says so wherever it is (a comment, a name, the uid), never an internal error. A proper pair is text like any other.
    /// </summary>
    [Theory]
    [InlineData("# \\ud800\n")]
    [InlineData("# \\udfff tail\n")]
    [InlineData("gatewayRef:\n  name: gw\\ud800\\ud800\n")]
    [InlineData("gatewayRef:\n  name: gw\\ud83d\n")]
    [InlineData("# \\\\\\udc00 after an escaped backslash\n")]
    public async Task An_escaped_lone_surrogate_is_a_400_not_an_internal_error(string escaped)
    {
        var before = await CounterAsync("webhook_internal_errors_total");
        var json = Reviews.Review("CREATE", Reviews.ConfigMap("models", "MARK")).ToJsonString().Edit("MARK", escaped.ReplaceAll("\n", "\\n"));
        foreach (var path in (string[])["/validate", "/mutate"])
        {
            var answer = await Server.PostAsync(path, json);
            Assert.Equal(400, answer.Status);
            Assert.Contains("not half of a pair", answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CounterAsync("webhook_internal_errors_total"));
    }

    [Theory]
    [InlineData("# an emoji \\ud83d\\ude00 and a backslash \\\\ud800 that escapes nothing\n")]
    [InlineData("# \\u00e9\\u4e2d\n")]
    public async Task Escapes_that_are_text_are_judged(string escaped)
    {
        var json = Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues + "\nMARK")).ToJsonString().Edit("MARK", escaped.ReplaceAll("\n", "\\n"));
        var answer = await Server.PostAsync("/validate", json);
        Assert.True(answer.Allowed, answer.ToString());
    }

    [Theory]
    [InlineData(129, 'a')]
    [InlineData(100_000, '7')]
    [InlineData(10, '\n')]
    [InlineData(10, '\u202e')]
    [InlineData(10, ' ')]
    public async Task A_uid_no_apiserver_sends_is_refused_without_being_echoed(int length, char c)
    {
        var uid = "uid-" + new string(c, length);
        var review = Reviews.Review("CREATE", Reviews.ConfigMap("models", "gatewayRef: {}\n"), uid: uid);
        foreach (var path in (string[])["/validate", "/mutate"])
        {
            var answer = await Server.PostAsync(path, review);
            Assert.Equal(400, answer.Status);
            Assert.Contains("request.uid is not a UID an apiserver sends", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("uid-", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_uids_apiservers_send_are_answered()
    {
        foreach (var uid in (string[])[Guid.NewGuid().ToString(), new string('u', 128)])
        {
            var answer = await Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues), uid: uid));
            Assert.True(answer.Allowed, answer.ToString());
            Assert.Equal(uid, (string?)answer.Response!["uid"]);
        }
    }

    private async Task<Answer> PostBytesAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Server.Client.PostAsync(new Uri(Server.BaseUrl, path), content);
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<long> CounterAsync(string name)
    {
        var text = await Server.Client.GetStringAsync(new Uri(Server.BaseUrl, "/metrics"));
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<long> BadRequestsAsync()
    {
        var text = await Server.Client.GetStringAsync(new Uri(Server.BaseUrl, "/metrics"));
        var line = text.Split('\n').Single(l => l.StartsWith("webhook_bad_requests_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Health_readiness_and_metrics_answer()
    {
        Assert.Equal("ok\n", await Server.Client.GetStringAsync(new Uri(Server.BaseUrl, "/healthz")));
        Assert.StartsWith("ok\npolicy: default policy", await Server.Client.GetStringAsync(new Uri(Server.BaseUrl, "/readyz")), StringComparison.Ordinal);
        await Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("m", Reviews.GoodValues)).ToJsonString());
        using var metrics = await Server.Client.GetAsync(new Uri(Server.BaseUrl, "/metrics"));
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("webhook_admission_reviews_total{endpoint=\"validate\",outcome=\"allowed\"}", text, StringComparison.Ordinal);
        Assert.Contains("webhook_admission_review_duration_seconds_bucket{endpoint=\"validate\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("webhook_policy_valid 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_or_path_is_a_4xx()
    {
        using var get = await Server.Client.GetAsync(new Uri(Server.BaseUrl, "/validate"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var missing = await Server.Client.PostAsync(new Uri(Server.BaseUrl, "/nothing"), content);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Plain_http_is_not_served()
    {
        using var http = new HttpClient();
        var url = new UriBuilder(Server.BaseUrl) { Scheme = "http" }.Uri;
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "/healthz")));
    }

    [Fact]
    public void Http_urls_are_refused_at_startup()
    {
        var e = Assert.Throws<ArgumentException>(() => WebhookApp.Build(["--urls", "http://127.0.0.1:0", "--tls-cert-file", "a", "--tls-key-file", "b", "--no-cluster", "true"]));
        Assert.Contains("HTTPS only", e.Message, StringComparison.Ordinal);
    }
}
