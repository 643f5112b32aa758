using AiGatewayModels.Common.Policy;
using AiGatewayModels.Kube;
using AiGatewayModels.Webhook.Admission;
using AiGatewayModels.Webhook.Cluster;
using AiGatewayModels.Webhook.Observability;
using AiGatewayModels.Webhook.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook;

/// <summary>Builds the webhook service; Program runs it, tests start it in-process on 127.0.0.1:0.</summary>
public static class WebhookApp
{
    /// <summary>The largest AdmissionReview read: a ConfigMap holds at most 1 MiB, and a review carries object and oldObject.</summary>
    public const long MaxRequestBodyBytes = 3 * 1024 * 1024;

    /// <summary>What a connection buffers of a request before the webhook reads it (socket transport and Kestrel alike).</summary>
    public const int MaxConnectionBufferBytes = 64 * 1024;

    public const string DefaultUrls = "https://0.0.0.0:8443";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var settings = WebhookSettings.From(builder.Configuration);
        var urls = builder.Configuration["urls"] is { Length: > 0 } u ? u : DefaultUrls;
        if (urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(x => !x.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"--urls {urls}: the webhook serves HTTPS only");
        }

        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        var metrics = new WebhookMetrics();
        using var startupLoggers = LoggerFactory.Create(l => l.AddJsonConsole());
        var certificates = new CertificateReloader(settings.TlsCertFile, settings.TlsKeyFile, startupLoggers.CreateLogger<CertificateReloader>(), metrics);
        builder.WebHost.UseKestrelHttpsConfiguration();
        // the socket transport buffers up to 1 MiB per connection by default, below Kestrel's own limit: a whole large
        // body each, for every connection waiting for the in-flight budget (100 connections held ~85 MiB of blocks)
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = MaxConnectionBufferBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            // what a connection buffers before its body is read: reviews waiting for the in-flight budget hold no more
            kestrel.Limits.MaxRequestBufferSize = MaxConnectionBufferBytes;
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificates.Current);
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(certificates);
        var client = Connect(settings);
        if (client is not null)
        {
            builder.Services.AddSingleton(client);
        }

        builder.Services.AddSingleton(s => new PolicyWatch(client, settings.Namespace, settings.PolicyConfigMap, metrics.Meter, "webhook",
            new LoggerKubeLog(s.GetRequiredService<ILoggerFactory>().CreateLogger("AiGatewayModels.Webhook.Policy"))));
        builder.Services.AddSingleton(new EvaluationCache(metrics, settings.EvaluationCacheBytes));
        builder.Services.AddSingleton(new ReviewBudget(InFlightBytes.DefaultBytes, settings.JudgingBytes, settings.Wait));
        builder.Services.AddSingleton<ValuesReview>();
        builder.Services.AddSingleton<DriftGuard>();
        builder.Services.AddSingleton<AdmissionEndpoint>();
        if (client is not null)
        {
            builder.Services.AddSingleton<KubernetesCluster>();
            builder.Services.AddSingleton<IClusterView>(s => s.GetRequiredService<KubernetesCluster>());
            builder.Services.AddHostedService(s => s.GetRequiredService<KubernetesCluster>());
        }
        else
        {
            builder.Services.AddSingleton<IClusterView, NoCluster>();
        }

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // the global guard: whatever escapes an endpoint becomes a 4xx with no detail, and is logged by type only
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.InternalError();
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AiGatewayModels.Webhook.Guard");
                Log.Unhandled(logger, context.Request.Path.Value ?? "", e.GetType().FullName ?? "?");
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    context.Response.StatusCode = e is BadHttpRequestException b ? b.StatusCode : 400;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("{\"error\":\"the request could not be processed\"}");
                }
            }
        });

        var admission = app.Services.GetRequiredService<AdmissionEndpoint>();
        app.MapPost("/validate", context => admission.HandleAsync(context, mutate: false));
        app.MapPost("/mutate", context => admission.HandleAsync(context, mutate: true));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (IClusterView cluster, PolicyWatch policy) =>
        {
            var detail = $"policy: {policy.Source}\n" + (policy.Problem is { } p ? $"policy problem: {p}\n" : string.Empty);
            return cluster.Synced
                ? Results.Text("ok\n" + detail)
                : Results.Text("not ready: the policy and values ConfigMaps are not listed yet\n" + detail, statusCode: 503);
        });
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.Lifetime.ApplicationStopped.Register(certificates.Dispose);
        app.Lifetime.ApplicationStopped.Register(metrics.Dispose);
        return app;
    }

    /// <summary>The apiserver from --kubeconfig (and --context) or KUBECONFIG, else the Pod's service account; none outside a cluster.</summary>
    private static KubeClient? Connect(WebhookSettings settings)
    {
        if (settings.ClusterDisabled || (settings.Kubeconfig is null && !KubeConfiguration.InCluster))
        {
            return null;
        }

        try
        {
            return KubeClient.Connect(new KubeTarget(settings.Kubeconfig, settings.Context), KubernetesCluster.UserAgent);
        }
        catch (KubeConfigurationException e)
        {
            throw new ArgumentException("cannot connect: " + e.Message, e);
        }
    }
}

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Error, Message = "unhandled error on {Path}: {ErrorType}")]
    public static partial void Unhandled(ILogger logger, string path, string errorType);
}
