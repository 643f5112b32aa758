using System.Net;
using System.Text;
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
