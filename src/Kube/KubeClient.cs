using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>
/// The few REST calls the expander and the webhook make, on <see cref="JsonObject"/>s: no generated models, so every kind (core or
/// custom) goes through the same code, and nothing needs reflection (both programs are published with Native AOT).
/// Every call but a watch has a time limit. Writes (POST, PUT, PATCH, DELETE) are counted by <see cref="ApiCallCounter"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    public const string FieldManager = "ai-gateway-models";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly KubeConnection connection;
    private readonly HttpClient http;
    private readonly ProductInfoHeaderValue userAgent;

    /// <param name="connection">where the apiserver is and how to authenticate.</param>
    /// <param name="program">the User-Agent product, so that audit logs tell the webhook from the expander.</param>
    /// <param name="handlers">extra handlers between this client and the connection (tests cut connections with them).</param>
    public KubeClient(KubeConnection connection, string program, IEnumerable<DelegatingHandler>? handlers = null)
    {
        this.connection = connection;
        userAgent = new ProductInfoHeaderValue(program, "1");
        HttpMessageHandler pipeline = connection.CreateHandler();
        foreach (var handler in (handlers ?? []).Reverse())
        {
            handler.InnerHandler = pipeline;
            pipeline = handler;
        }

        var counting = new ApiCallCounter { InnerHandler = pipeline };
        Calls = counting;
        http = new HttpClient(counting) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Counts of the requests this client sent, by verb.</summary>
    public ApiCallCounter Calls { get; }

    /// <summary>GET; null when the object (or the resource) does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject> ListAsync(string path, string? labelSelector, string? fieldSelector, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, path + Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector)), null, null, ct))!;

    /// <summary>Server-side apply (the body is JSON, which is YAML) with our field manager.</summary>
    public async Task<JsonObject> ApplyAsync(string path, JsonObject body, bool force, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Patch, path + Query(("fieldManager", FieldManager), ("force", force ? "true" : null)), body, "application/apply-patch+yaml", ct))!;

    public async Task<JsonObject> MergePatchAsync(string path, JsonObject body, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Patch, path + Query(("fieldManager", FieldManager)), body, "application/merge-patch+json", ct))!;

    public async Task<JsonObject> CreateAsync(string path, JsonObject body, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, path + Query(("fieldManager", FieldManager)), body, "application/json", ct))!;

    public async Task<JsonObject> ReplaceAsync(string path, JsonObject body, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Put, path + Query(("fieldManager", FieldManager)), body, "application/json", ct))!;

    /// <summary>DELETE with a UID precondition (never deletes a same-named successor); false when already gone.</summary>
    public async Task<bool> DeleteAsync(string path, string uid, CancellationToken ct)
    {
        var options = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["preconditions"] = new JsonObject { ["uid"] = uid },
            ["propagationPolicy"] = "Background",
        };
        try
        {
            await SendAsync(HttpMethod.Delete, path, options, "application/json", ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            return false; // gone, or replaced by an object we did not mean
        }
    }

    /// <summary>
    /// A watch from <paramref name="resourceVersion"/>; ends when the server closes it (timeoutSeconds) or on cancel.
    /// ERROR events (410 Gone above all) are returned to the caller, which relists.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string path, string? labelSelector, string? fieldSelector, string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = Query(("watch", "true"), ("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion),
            ("allowWatchBookmarks", "true"), ("timeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var request = await RequestAsync(HttpMethod.Get, path + query, null, null);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connect.CancelAfter(RequestTimeout);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, ct);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (JsonNode.Parse(line) is JsonObject e && e["type"]?.GetValue<string>() is { } type && e["object"] is JsonObject obj)
            {
                yield return new WatchEvent(type, obj);
            }
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonObject? body, string? contentType, CancellationToken ct)
    {
        using var request = await RequestAsync(method, path, body, contentType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, ct);
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }

    private Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, JsonObject? body, string? contentType)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(userAgent);
        if (connection.Token() is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        return Task.FromResult(request);
    }

    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var reason = response.StatusCode.ToString();
        var message = string.Empty;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (JsonNode.Parse(text) is JsonObject status)
            {
                reason = status["reason"]?.GetValue<string>() ?? reason;
                message = status["message"]?.GetValue<string>() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // not a Status object: the HTTP status says enough
        }

        return new KubeApiException(response.StatusCode, reason, message);
    }

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }
}
