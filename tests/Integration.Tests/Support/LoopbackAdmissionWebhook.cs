using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>One AdmissionReview the endpoint answered.</summary>
public sealed record AdmissionCall(string Operation, string? Namespace, string? Name, bool Allowed);

/// <summary>
/// A validating admission webhook endpoint on https://127.0.0.1:&lt;free port&gt;/validate, served by Kestrel with a
/// certificate from its own throw-away CA (<see cref="CaBundlePem"/> goes into the webhook configuration's caBundle).
/// It answers admission.k8s.io/v1 AdmissionReviews with the verdict of a function, and records every call.
/// </summary>
public sealed class LoopbackAdmissionWebhook : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<AdmissionCall> calls;
    private readonly X509Certificate2 servingCertificate;

    private LoopbackAdmissionWebhook(
        WebApplication app, ConcurrentQueue<AdmissionCall> calls, X509Certificate2 servingCertificate, Uri url, string caBundlePem)
    {
        this.app = app;
        this.calls = calls;
        this.servingCertificate = servingCertificate;
        Url = url;
        CaBundlePem = caBundlePem;
    }

    public Uri Url { get; }

    public string CaBundlePem { get; }

    public IReadOnlyList<AdmissionCall> Calls => [.. calls];

    /// <summary>Starts the endpoint. <paramref name="denyReason"/> gets the admitted object and returns null to allow it, or the denial message.</summary>
    public static async Task<LoopbackAdmissionWebhook> StartAsync(Func<JsonObject, string?> denyReason)
    {
        ArgumentNullException.ThrowIfNull(denyReason);
        using var ca = TestCertificateAuthority.Create("integration-tests-webhook-ca");
        var serving = ca.IssueLoopbackServingCertificate().ToX509Certificate2();
        var calls = new ConcurrentQueue<AdmissionCall>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serving)));
        var app = builder.Build();
        app.MapPost("/validate", async context =>
        {
            var review = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var request = review?["request"] ?? throw new InvalidDataException("an AdmissionReview without request");
            var obj = request["object"] as JsonObject ?? [];
            var reason = denyReason(obj);
            calls.Enqueue(new AdmissionCall(
                (string?)request["operation"] ?? "", (string?)request["namespace"], (string?)obj["metadata"]?["name"], reason is null));
            var response = new JsonObject
            {
                ["apiVersion"] = "admission.k8s.io/v1",
                ["kind"] = "AdmissionReview",
                ["response"] = new JsonObject
                {
                    ["uid"] = (string?)request["uid"],
                    ["allowed"] = reason is null,
                    ["status"] = reason is null ? null : new JsonObject { ["code"] = 403, ["message"] = reason },
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            serving.Dispose();
            throw;
        }

        var url = new Uri(new Uri(app.Urls.Single()), "/validate");
        return new LoopbackAdmissionWebhook(app, calls, serving, url, ca.CertificatePem);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        servingCertificate.Dispose();
    }
}
