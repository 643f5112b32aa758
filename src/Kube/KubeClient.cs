using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiGatewayModels.Kube;

/// <summary>
/// The expander's and the webhook's way to the apiserver: a small facade over KubernetesClient.Aot's <see cref="Kubernetes"/>,
/// which does the configuration (kubeconfig, contexts, exec plugins, in-cluster), authentication, TLS and the REST
/// verbs. Every kind, core or custom, goes through the package's generic (custom-object) operations on
/// <see cref="JsonObject"/>s, so the 7 generated kinds need no model and nothing needs reflection. Typed core objects
/// (Lease, Event, SubjectAccessReview) go through <see cref="CallAsync"/>. What the package lacks stays here: the
/// watch stream (<see cref="WatchAsync"/>, read line by line over the package's own HTTP pipeline and credentials) and
/// one error type, <see cref="KubeApiException"/>, with the Status object's reason and message. Every call but a
/// watch has a time limit; writes are counted by <see cref="ApiCallCounter"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    public const string FieldManager = "ai-gateway-models";
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <param name="config">KubernetesClient's configuration, e.g. from <see cref="KubeConfiguration.Load"/>.</param>
    /// <param name="program">the User-Agent product, so that audit logs tell the webhook from the expander.</param>
    /// <param name="handlers">extra handlers between this client and the network (tests cut or hold requests with them).</param>
    public KubeClient(KubernetesClientConfiguration config, string program, IEnumerable<DelegatingHandler>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Calls = new ApiCallCounter();
        config.UserAgent = program + "/1";
        config.HttpClientTimeout = RequestTimeout;
        config.AddJsonOptions(o => o.TypeInfoResolverChain.Add(KubeJsonContext.Default));
        if (config.SslCaCerts is { Count: > 0 } cas && !config.SkipTlsVerify)
        {
            // the package would install its own check of the certificate, which ignores the host name: ours instead
            var check = new ServerCertificateCheck(cas);
            config.SslCaCerts = null;
            var setup = config.FirstMessageHandlerSetup;
            config.FirstMessageHandlerSetup = handler =>
            {
                setup?.Invoke(handler);
                handler.SslOptions.RemoteCertificateValidationCallback = check.Validate;
            };
        }

        Api = new Kubernetes(config, [Calls, .. handlers ?? []]);
    }

    /// <summary>Connects as <paramref name="target"/> says (see <see cref="KubeConfiguration.Load"/>).</summary>
    public static KubeClient Connect(KubeTarget target, string program, IEnumerable<DelegatingHandler>? handlers = null) =>
        new(KubeConfiguration.Load(target), program, handlers);

    /// <summary>KubernetesClient itself, for typed calls through <see cref="CallAsync"/>.</summary>
    public Kubernetes Api { get; }

    public Uri Server => Api.BaseUri;

    /// <summary>Counts of the requests this client sent, by verb.</summary>
    public ApiCallCounter Calls { get; }

    /// <summary>How long one watch request lasts before the server ends it (timeoutSeconds) and it is resumed.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromSeconds(240);

    /// <summary>GET; null when the object (or the resource) does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            return await CallAsync((api, t) => api.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(resource.Group, resource.Version, ns, resource.Plural, name, t), ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>LIST in <paramref name="ns"/>, or in every namespace when it is null.</summary>
    public Task<JsonObject> ListAsync(ApiResource resource, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return CallAsync((api, t) => ns is null
            ? api.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonObject>(resource.Group, resource.Version, resource.Plural,
                fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: t)
            : api.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(resource.Group, resource.Version, ns, resource.Plural,
                fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: t), ct);
    }

    /// <summary>
    /// Server-side apply of <paramref name="body"/> (named by its metadata) with our field manager; <paramref name="dryRun"/>
    /// asks the apiserver what it would store (admission and validation included) and stores nothing.
    /// </summary>
    public Task<JsonObject> ApplyAsync(ApiResource resource, string ns, JsonObject body, bool force, CancellationToken ct, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        var name = body.Name() ?? throw new ArgumentException("the object to apply has no metadata.name", nameof(body));
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        return CallAsync((api, t) => api.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(patch, resource.Group, resource.Version, ns, resource.Plural, name,
            dryRun: dryRun ? "All" : null, fieldManager: FieldManager, force: force ? true : null, cancellationToken: t), ct);
    }

    /// <summary>A JSON merge patch (RFC 7386: null deletes a field).</summary>
    public Task<JsonObject> MergePatchAsync(ApiResource resource, string ns, string name, JsonObject patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return CallAsync((api, t) => api.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(body, resource.Group, resource.Version, ns, resource.Plural, name,
            fieldManager: FieldManager, cancellationToken: t), ct);
    }

    /// <summary>DELETE with a UID precondition (never deletes a same-named successor); false when already gone.</summary>
    public async Task<bool> DeleteAsync(ApiResource resource, string ns, string name, string uid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, PropagationPolicy = "Background" };
        try
        {
            await CallAsync((api, t) => api.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonObject>(resource.Group, resource.Version, ns, resource.Plural, name, options, cancellationToken: t), ct);
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
        var answer = await CallAsync((api, t) => api.AuthorizationV1.CreateSubjectAccessReviewAsync(review, cancellationToken: t), ct);
        return new AccessDecision(answer.Status?.Allowed == true, answer.Status?.Reason ?? answer.Status?.EvaluationError ?? string.Empty);
    }

    /// <summary>
    /// <c>group/version/Kind</c> of every resource (subresources aside) that the apiserver serves in <paramref name="groups"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ServedKindsAsync(IReadOnlySet<string> groups, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var apis = await CallAsync((api, t) => api.Apis.GetAPIVersionsAsync(t), ct);
        var served = new List<string>();
        foreach (var group in apis.Groups ?? [])
        {
            if (!groups.Contains(group.Name))
            {
                continue;
            }

            foreach (var version in group.Versions ?? [])
            {
                V1APIResourceList resources;
                try
                {
                    resources = await CallAsync((api, t) => api.CustomObjects.GetAPIResourcesAsync(group.Name, version.Version, t), ct);
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    continue; // removed between the two requests
                }

                served.AddRange((resources.Resources ?? []).Where(r => !r.Name.Contains('/', StringComparison.Ordinal)).Select(r => $"{group.Name}/{version.Version}/{r.Kind}"));
            }
        }

        return served;
    }

    /// <summary>A typed call of the package, with its errors as <see cref="KubeApiException"/>s.</summary>
    public async Task<T> CallAsync<T>(Func<Kubernetes, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(Api, ct);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e);
        }
    }

    /// <summary>
    /// A watch from <paramref name="resourceVersion"/>; ends when the server closes it (timeoutSeconds) or on cancel.
    /// ERROR events (410 Gone above all) are returned to the caller, which relists. The package has no watch that is
    /// clean under Native AOT, so the stream is read here, over its HTTP pipeline and with its credentials.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ApiResource resource, string? ns, string? labelSelector, string? fieldSelector, string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var query = Query(("watch", "true"), ("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion),
            ("allowWatchBookmarks", "true"), ("timeoutSeconds", timeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.BaseUri, resource.CollectionPath(ns).TrimStart('/') + query))
        {
            Version = HttpVersion.Version20, // as the package sends its own requests: watches share its connections
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connect.CancelAfter(RequestTimeout);
        if (Api.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, connect.Token);
        }

        using var response = await Api.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
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

    public void Dispose() => Api.Dispose();

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
