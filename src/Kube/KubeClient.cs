using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace AiGatewayModels.Kube;

/// <summary>
/// The expander's and the webhook's way to the apiserver. KubernetesClient.Aot does the configuration (kubeconfig,
/// contexts, in-cluster) and the authentication (tokens, token files, exec credential plugins with their refresh,
/// client certificates) and provides the typed core models (Lease, Event, SubjectAccessReview, through
/// <see cref="KubeModels"/>). The requests are made here, on one <see cref="SocketsHttpHandler"/> with the package's
/// credentials: its generated operations would root its JSON context for all 872 models, which made each Native AOT
/// binary 16 – 21 MB larger, `render` of 10 models 2.8 times slower to start and every process 15 – 30 MiB larger
/// (measured: docs/expander.md, "The client"). Every kind, core or custom, is read and written as a
/// <see cref="JsonObject"/>, so the generated kinds need no model. Errors are <see cref="KubeApiException"/>s with the
/// Status object's reason and message; every call but a watch has a time limit; writes are counted by
/// <see cref="ApiCallCounter"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    public const string FieldManager = "ai-gateway-models";
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;
    private readonly ServiceClientCredentials? credentials;
    private readonly ProductInfoHeaderValue userAgent;
    private readonly string? tlsServerName;

    /// <param name="config">KubernetesClient's configuration, e.g. from <see cref="KubeConfiguration.Load"/>.</param>
    /// <param name="program">the User-Agent product, so that audit logs tell the webhook from the expander.</param>
    /// <param name="handlers">extra handlers between this client and the network (tests cut, hold or freeze requests with them).</param>
    public KubeClient(KubernetesClientConfiguration config, string program, IEnumerable<DelegatingHandler>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Server = new Uri(config.Host.TrimEnd('/') + "/");
        credentials = Kubernetes.CreateCredentials(config); // the package's token providers: static, token file, exec plugin
        userAgent = new ProductInfoHeaderValue(program, "1");
        tlsServerName = string.IsNullOrWhiteSpace(config.TlsServerName) ? null : config.TlsServerName;
        HttpMessageHandler pipeline = Handler(config);
        foreach (var handler in (handlers ?? []).Reverse())
        {
            handler.InnerHandler = pipeline;
            pipeline = handler;
        }

        Calls = new ApiCallCounter { InnerHandler = pipeline };
        http = new HttpClient(Calls) { BaseAddress = Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Connects as <paramref name="target"/> says (see <see cref="KubeConfiguration.Load"/>).</summary>
    public static KubeClient Connect(KubeTarget target, string program, IEnumerable<DelegatingHandler>? handlers = null) =>
        new(KubeConfiguration.Load(target), program, handlers);

    public Uri Server { get; }

    /// <summary>Counts of the requests this client sent, by verb.</summary>
    public ApiCallCounter Calls { get; }

    /// <summary>How long one watch request lasts before the server ends it (timeoutSeconds) and it is resumed.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromSeconds(240);

    /// <summary>GET; null when the object (or the resource) does not exist.</summary>
    public Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, CancellationToken ct) =>
        GetAsync(resource, ns, name, KubeModels.Default.JsonObject, ct);

    /// <summary>GET of a typed object; null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ApiResource resource, string ns, string name, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            return await SendAsync(HttpMethod.Get, resource.ItemPath(ns, name), null, type, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>LIST in <paramref name="ns"/>, or in every namespace when it is null.</summary>
    public async Task<JsonObject> ListAsync(ApiResource resource, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (await SendAsync(HttpMethod.Get, resource.CollectionPath(ns) + Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector)), null,
            KubeModels.Default.JsonObject, ct))!;
    }

    /// <summary>GET of a path outside the resources (discovery: /apis, /apis/group/version); null when not served.</summary>
    public async Task<JsonObject?> GetPathAsync(string path, CancellationToken ct)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, KubeModels.Default.JsonObject, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Server-side apply of <paramref name="body"/> (named by its metadata) with our field manager; <paramref name="dryRun"/>
    /// asks the apiserver what it would store (admission and validation included) and stores nothing.
    /// </summary>
    public async Task<JsonObject> ApplyAsync(ApiResource resource, string ns, JsonObject body, bool force, CancellationToken ct, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        var name = body.Name() ?? throw new ArgumentException("the object to apply has no metadata.name", nameof(body));
        var query = Query(("fieldManager", FieldManager), ("force", force ? "true" : null), ("dryRun", dryRun ? "All" : null));
        return (await SendAsync(HttpMethod.Patch, resource.ItemPath(ns, name) + query, Json(body, "application/apply-patch+yaml"), KubeModels.Default.JsonObject, ct))!;
    }

    /// <summary>A JSON merge patch (RFC 7386: null deletes a field).</summary>
    public async Task<JsonObject> MergePatchAsync(ApiResource resource, string ns, string name, JsonObject patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);
        return (await SendAsync(HttpMethod.Patch, resource.ItemPath(ns, name) + Query(("fieldManager", FieldManager)), Json(patch, "application/merge-patch+json"),
            KubeModels.Default.JsonObject, ct))!;
    }

    /// <summary>POST of a typed object (an Event, a Lease, a review).</summary>
    public async Task<T> CreateAsync<T>(ApiResource resource, string? ns, T body, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (await SendAsync(HttpMethod.Post, resource.CollectionPath(ns) + Query(("fieldManager", FieldManager)), Json(body, type), type, ct))!;
    }

    /// <summary>PUT of a typed object: fails with a conflict when its resourceVersion is not the stored one.</summary>
    public async Task<T> ReplaceAsync<T>(ApiResource resource, string ns, string name, T body, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (await SendAsync(HttpMethod.Put, resource.ItemPath(ns, name) + Query(("fieldManager", FieldManager)), Json(body, type), type, ct))!;
    }

    /// <summary>DELETE with a UID precondition (never deletes a same-named successor); false when already gone.</summary>
    public async Task<bool> DeleteAsync(ApiResource resource, string ns, string name, string uid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var options = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["preconditions"] = new JsonObject { ["uid"] = uid },
            ["propagationPolicy"] = "Background",
        };
        try
        {
            await SendAsync(HttpMethod.Delete, resource.ItemPath(ns, name), Json(options, "application/json"), KubeModels.Default.JsonObject, ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            return false; // gone, or replaced by an object we did not mean
        }
    }

    /// <summary>
    /// Whether <paramref name="who"/> may <paramref name="verb"/> the resource (a SubjectAccessReview: the apiserver's
    /// own authorizers decide, RBAC and webhooks alike), and the authorizer's reason.
    /// </summary>
    public async Task<AccessDecision> ReviewAccessAsync(Requester who, string verb, ApiResource resource, string? ns, string? name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(resource);
        var review = new V1SubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SubjectAccessReview",
            Spec = new V1SubjectAccessReviewSpec
            {
                User = who.User,
                Groups = [.. who.Groups],
                Uid = who.Uid,
                Extra = who.Extra?.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = verb,
                    Group = resource.Group,
                    Version = resource.Version,
                    Resource = resource.Plural,
                    NamespaceProperty = ns,
                    Name = name,
                },
            },
        };
        var answer = await CreateAsync(new ApiResource("authorization.k8s.io", "v1", "subjectaccessreviews"), null, review, KubeModels.Default.V1SubjectAccessReview, ct);
        return new AccessDecision(answer.Status?.Allowed == true, answer.Status?.Reason ?? answer.Status?.EvaluationError ?? string.Empty);
    }

    /// <summary>
    /// <c>group/version/Kind</c> of every resource (subresources aside) that the apiserver serves in <paramref name="groups"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ServedKindsAsync(IReadOnlySet<string> groups, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var apis = await GetPathAsync("/apis", ct) ?? [];
        var served = new List<string>();
        foreach (var group in (apis["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (group.Str("name") is not { } name || !groups.Contains(name))
            {
                continue;
            }

            foreach (var version in (group["versions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (version.Str("version") is not { } v)
                {
                    continue;
                }

                var resources = await GetPathAsync($"/apis/{name}/{v}", ct); // null: removed between the two requests
                foreach (var resource in (resources?["resources"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (resource.Str("kind") is { } kind && resource.Str("name") is { } plural && !plural.Contains('/', StringComparison.Ordinal))
                    {
                        served.Add($"{name}/{v}/{kind}");
                    }
                }
            }
        }

        return served;
    }

    /// <summary>
    /// A watch from <paramref name="resourceVersion"/>; ends when the server closes it (timeoutSeconds) or on cancel.
    /// ERROR events (410 Gone above all) are returned to the caller, which relists.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ApiResource resource, string? ns, string? labelSelector, string? fieldSelector, string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var query = Query(("watch", "true"), ("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion),
            ("allowWatchBookmarks", "true"), ("timeoutSeconds", timeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connect.CancelAfter(RequestTimeout);
        using var request = await RequestAsync(HttpMethod.Get, resource.CollectionPath(ns) + query, null, connect.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw KubeApiException.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (JsonNode.Parse(line) is JsonObject e && e.Str("type") is { } type && e["object"] is JsonObject obj)
            {
                yield return new WatchEvent(type, obj);
            }
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = await RequestAsync(method, path, body, timeout.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw KubeApiException.From(response.StatusCode, text);
        }

        return text.Length == 0 ? null : JsonSerializer.Deserialize(text, type);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, HttpContent? body, CancellationToken ct)
    {
        // HTTP/2 where the server offers it (ALPN), as the package's own client: every watch shares one connection
        var request = new HttpRequestMessage(method, new Uri(Server, path.TrimStart('/'))) { Version = HttpVersion.Version20, Content = body };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(userAgent);
        if (tlsServerName is not null)
        {
            request.Headers.Host = tlsServerName; // the server name the certificate is checked for, as client-go's tls-server-name
        }

        if (credentials is not null)
        {
            await credentials.ProcessHttpRequestAsync(request, ct);
        }

        return request;
    }

    /// <summary>The connection: the kubeconfig's client certificate, and the check of the server's certificate.</summary>
    private static SocketsHttpHandler Handler(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true, // more watches than one connection's concurrent streams
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30), // a watch on a dead connection fails within 45 s instead of hanging
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        if (config.SkipTlsVerify)
        {
#pragma warning disable CA5359 // insecure-skip-tls-verify: the kubeconfig's explicit choice, which client-go honours too
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.SslCaCerts is { Count: > 0 } cas)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = new ServerCertificateCheck(cas).Validate;
        }

        if (ClientCertificate(config) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return handler;
    }

    /// <summary>The client certificate the configuration names (kubeconfig data or files, or an exec plugin's), if any.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        static string? Pem(string? base64, string? file) =>
            !string.IsNullOrWhiteSpace(base64) ? Encoding.ASCII.GetString(Convert.FromBase64String(base64))
            : !string.IsNullOrWhiteSpace(file) ? File.ReadAllText(file)
            : null;

        if (Pem(config.ClientCertificateData, config.ClientCertificateFilePath) is not { } certificate ||
            Pem(config.ClientCertificateKeyData, config.ClientKeyFilePath) is not { } key)
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPem(certificate, key);
        // through PKCS#12, so that SslStream can use the private key on every platform
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static StringContent Json(JsonObject body, string contentType)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static StringContent Json<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }
}

/// <summary>Who asks, as an AdmissionReview's userInfo names them: what a SubjectAccessReview needs to decide for them.</summary>
public sealed record Requester(string User, IReadOnlyList<string> Groups, string? Uid = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null);

/// <summary>A SubjectAccessReview's answer.</summary>
public sealed record AccessDecision(bool Allowed, string Reason);
