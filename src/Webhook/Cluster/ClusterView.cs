using AiGatewayModels.Engine.Input;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Webhook.Cluster;

/// <summary>A values ConfigMap seen in the cluster, as the engine reads it, plus its resourceVersion for caching.</summary>
public sealed record StoredValues(ValuesDocument Document, string ResourceVersion);

/// <summary>What the webhook reads from the apiserver. Answers null when it cannot tell (no cluster, an error).</summary>
public interface IClusterView
{
    /// <summary>False when the webhook runs without a cluster: cross-object checks are skipped.</summary>
    bool Available { get; }

    /// <summary>True once the policy and the values ConfigMaps have been listed at least once.</summary>
    bool Synced { get; }

    /// <summary>Every values ConfigMap (labelled <c>models.ai-gateway.io/values=true</c>) in the cluster, from the watch cache.</summary>
    IReadOnlyCollection<StoredValues> ValuesConfigMaps { get; }

    /// <summary>
    /// Whether a values ConfigMap (labelled and annotated <c>models.ai-gateway.io/values: "true"</c>) with this name and uid exists in
    /// <paramref name="ns"/>: the drift guard's proof of ownership. Null when it cannot tell.
    /// </summary>
    Task<bool?> ValuesConfigMapLiveAsync(string ns, string name, string uid, CancellationToken cancellationToken);

    Task<bool?> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken);

    Task<bool?> GatewayExistsAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="who"/> may <c>get</c> the Secret (a SubjectAccessReview); null when the apiserver cannot tell.</summary>
    Task<bool?> MayGetSecretAsync(Requester who, string ns, string name, CancellationToken cancellationToken);
}

/// <summary>No cluster: only the rules that need nothing but the object apply.</summary>
public sealed class NoCluster : IClusterView
{
    public bool Available => false;

    public bool Synced => true;

    public IReadOnlyCollection<StoredValues> ValuesConfigMaps => [];

    public Task<bool?> ValuesConfigMapLiveAsync(string ns, string name, string uid, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task<bool?> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task<bool?> GatewayExistsAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task<bool?> MayGetSecretAsync(Requester who, string ns, string name, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);
}
