using System.Text.Json;
using AiGatewayModels.Engine;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>A controller owner reference to a ConfigMap: the only proof of ownership the drift guard accepts.</summary>
internal sealed record OwnerConfigMapRef(string Name, string Uid);

/// <summary>What the webhook's view of the cluster says about the ConfigMap an owner reference names.</summary>
internal enum OwnerState
{
    /// <summary>No controller owner reference to a ConfigMap at all.</summary>
    None,

    /// <summary>A values ConfigMap with that name and uid exists in the object's namespace.</summary>
    Live,

    /// <summary>None exists: deleted, replaced by another of the same name (another uid), or never a values ConfigMap.</summary>
    Gone,

    /// <summary>The view cannot tell (not listed yet and the apiserver did not answer, or no cluster at all).</summary>
    Unknown,
}

/// <summary>The verdict: allowed (perhaps with a warning), or denied with a message.</summary>
internal sealed record DriftVerdict(bool Allowed, string? Message)
{
    public static readonly DriftVerdict Allow = new(true, null);
}

/// <summary>
/// The drift guard's rule, a pure function of the request and of what the cluster view says about the owner. An object
/// is guarded only by proof: our label on the old object AND a controller owner reference to a values ConfigMap that is
/// live (same namespace, name and uid). Labels alone prove nothing: anyone who may create a kind may put them on an
/// object of their own, and would otherwise lock everyone out of it, cluster-admin included.
/// <para>On a guarded object, only the expander changes what reconciliation depends on: the content (spec; data, type
/// and immutable of a Secret), our labels, our annotations (the <c>models.ai-gateway.io/</c> domain), owner references
/// and finalizers. Two narrow exceptions keep Kubernetes and AI Gateway working: the garbage collector may remove owner
/// references, unblock them and remove its own finalizers (orphan and foreground deletion), and the AI Gateway
/// controller's finalizer may come and go on the kinds that controller reconciles. Deleting is left to the expander,
/// the garbage collector and the namespace controller.</para>
/// <para>When the view cannot tell whether the owner is live, the object is treated as guarded (fail safe), except for
/// members of <c>system:masters</c>, who are never locked out.</para>
/// </summary>
internal static class DriftRule
{
    public const string GarbageCollector = "system:serviceaccount:kube-system:generic-garbage-collector";
    public const string NamespaceController = "system:serviceaccount:kube-system:namespace-controller";
    public const string Masters = "system:masters";

    /// <summary>The annotations in this domain are ours (the expander's applied hash, and any it adds later).</summary>
    public const string OurAnnotationPrefix = "models.ai-gateway.io/";

    /// <summary>The finalizers the garbage collector removes when orphan or foreground deletion is done.</summary>
    private static readonly string[] CollectorFinalizers = ["orphan", "foregroundDeletion"];

    /// <summary>
    /// The AI Gateway controller adds this finalizer to every AIGatewayRoute, AIServiceBackend and
    /// BackendSecurityPolicy it reconciles and removes it when one is deleted (envoyproxy/ai-gateway
    /// internal/controller/controller.go, handleFinalizer), whatever created the object. Its ServiceAccount's name depends
    /// on how AI Gateway was installed, so the finalizer, not the user, is what is allowed, and only on those kinds: that
    /// controller takes it off again, so it cannot hold a deletion. No other controller of a kind we generate adds one:
    /// Envoy Gateway v1.9.0 puts its finalizer on GatewayClasses only (internal/provider/kubernetes/controller.go), and
    /// Kuadrant v1.5.2 none on RateLimitPolicy or TokenRateLimitPolicy (its <c>kuadrant.io/extensions</c> finalizer goes on
    /// extension policies only: pkg/extension/controller/controller.go).
    /// </summary>
    private static readonly (string Group, string Kind, string Finalizer)[] ControllerFinalizers =
    [
        ("aigateway.envoyproxy.io", "AIGatewayRoute", "aigateway.envoyproxy.io/finalizer"),
        ("aigateway.envoyproxy.io", "AIServiceBackend", "aigateway.envoyproxy.io/finalizer"),
        ("aigateway.envoyproxy.io", "BackendSecurityPolicy", "aigateway.envoyproxy.io/finalizer"),
    ];

    private static readonly string[] OurLabels = [WellKnown.ManagedByLabel, WellKnown.SourceLabel];

    /// <summary>The controller owner reference to a ConfigMap (apiVersion v1, controller: true), if the object has one.</summary>
    public static OwnerConfigMapRef? ControllerOwner(JsonElement? obj)
    {
        if (ObjectJson.Property(ObjectJson.Metadata(obj), "ownerReferences") is not { ValueKind: JsonValueKind.Array } refs)
        {
            return null;
        }

        foreach (var r in refs.EnumerateArray())
        {
            if (ObjectJson.String(r, "kind") == "ConfigMap" && ObjectJson.String(r, "apiVersion") == "v1" &&
                ObjectJson.Property(r, "controller") is { ValueKind: JsonValueKind.True } &&
                ObjectJson.String(r, "name") is { Length: > 0 } name && ObjectJson.String(r, "uid") is { Length: > 0 } uid)
            {
                return new OwnerConfigMapRef(name, uid);
            }
        }

        return null;
    }

    /// <summary>True when the old object carries our managed-by label: only then is its owner worth looking up.</summary>
    public static bool Labelled(JsonElement? old) => ObjectJson.Label(old, WellKnown.ManagedByLabel) == WellKnown.ManagedByValue;

    public static DriftVerdict Judge(AdmissionRequest request, OwnerConfigMapRef? owner, OwnerState state, string expanderUsername)
    {
        var old = request.OldObject;
        var user = request.UserInfo?.Username ?? string.Empty;
        if (request.Operation is not ("UPDATE" or "DELETE") || old is null || !Labelled(old) || user == expanderUsername ||
            !string.IsNullOrEmpty(request.SubResource))
        {
            // status (and other subresource) writes belong to controllers, not to the values
            return DriftVerdict.Allow;
        }

        var kind = request.Kind?.Kind ?? "object";
        var ns = request.Namespace ?? ObjectJson.String(ObjectJson.Metadata(old), "namespace") ?? string.Empty;
        var name = request.Name ?? ObjectJson.String(ObjectJson.Metadata(old), "name") ?? string.Empty;
        var what = $"{kind} {ns}/{name}";
        if (owner is null || state is OwnerState.None or OwnerState.Gone)
        {
            // a warning (kubectl prints it; at most 120 characters): what it is and why nothing holds it
            return new DriftVerdict(true, owner is null
                ? $"orphan {what}: our labels, but no controller owner reference to a values ConfigMap; not guarded"
                : $"orphan {what}: owner ConfigMap {ns}/{owner.Name} is not a live values ConfigMap; not guarded");
        }

        var masters = request.UserInfo?.Groups?.Contains(Masters, StringComparer.Ordinal) == true;
        if (state == OwnerState.Unknown && masters)
        {
            return new DriftVerdict(true, $"{what}: owner ConfigMap {ns}/{owner.Name} not verifiable yet; allowed for {Masters}");
        }

        string Refuse(string change) => state == OwnerState.Unknown
            ? $"{what} names ConfigMap {ns}/{owner.Name} as its controller, and the models webhook cannot tell yet whether that values ConfigMap exists " +
              $"(its view of the cluster is not listed yet); {change} is not allowed until it can: try again shortly ({Masters} may go ahead)"
            : $"{what} is generated by {WellKnown.ManagedByValue} from ConfigMap {ns}/{owner.Name}; {change} is not allowed: edit ConfigMap {ns}/{owner.Name} instead";

        if (request.Operation == "DELETE")
        {
            return user is GarbageCollector or NamespaceController ? DriftVerdict.Allow : new DriftVerdict(false, Refuse("deleting it"));
        }

        return Changed(request, old.Value, user) is { } change ? new DriftVerdict(false, Refuse(change)) : DriftVerdict.Allow;
    }

    /// <summary>The first change the user may not make, named for the message; null when there is none.</summary>
    private static string? Changed(AdmissionRequest request, JsonElement old, string user)
    {
        var updated = request.Object;
        var secret = request.Kind is { Kind: "Secret" } k && string.IsNullOrEmpty(k.Group);
        foreach (var field in secret ? (string[])["data", "type", "immutable"] : ["spec"])
        {
            if (!ObjectJson.SameJson(ObjectJson.Property(old, field), ObjectJson.Property(updated, field)))
            {
                return $"changing its {field}";
            }
        }

        foreach (var label in OurLabels)
        {
            if (ObjectJson.Label(old, label) != ObjectJson.Label(updated, label))
            {
                return $"changing or removing its label {label}";
            }
        }

        var ours = OurAnnotations(old);
        var theirs = OurAnnotations(updated);
        if (ours.Count != theirs.Count || ours.Any(a => !theirs.TryGetValue(a.Key, out var v) || v != a.Value))
        {
            var key = ours.Keys.Concat(theirs.Keys).Order(StringComparer.Ordinal)
                .First(a => !ours.TryGetValue(a, out var o) || !theirs.TryGetValue(a, out var t) || o != t);
            return $"changing, adding or removing its annotation {key}";
        }

        var meta = ObjectJson.Metadata(old);
        var newMeta = ObjectJson.Metadata(updated);
        if (!ObjectJson.SameJson(ObjectJson.Property(meta, "ownerReferences"), ObjectJson.Property(newMeta, "ownerReferences")) &&
            !(user == GarbageCollector && CollectorOwnerChange(ObjectJson.Property(meta, "ownerReferences"), ObjectJson.Property(newMeta, "ownerReferences"))))
        {
            return "changing its ownerReferences";
        }

        var before = Strings(ObjectJson.Property(meta, "finalizers"));
        var after = Strings(ObjectJson.Property(newMeta, "finalizers"));
        var allowed = ControllerFinalizers.Where(c => c.Group == (request.Kind?.Group ?? string.Empty) && c.Kind == request.Kind?.Kind)
            .Select(c => c.Finalizer).ToList();
        if (user == GarbageCollector)
        {
            allowed.AddRange(CollectorFinalizers.Where(f => !after.Contains(f, StringComparer.Ordinal))); // removing only
        }

        var added = after.Except(before, StringComparer.Ordinal);
        var removed = before.Except(after, StringComparer.Ordinal);
        return added.Concat(removed).FirstOrDefault(f => !allowed.Contains(f, StringComparer.Ordinal)) is { } finalizer
            ? $"adding or removing its finalizer {finalizer}"
            : null;
    }

    private static Dictionary<string, string?> OurAnnotations(JsonElement? obj)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (ObjectJson.Property(ObjectJson.Metadata(obj), "annotations") is { ValueKind: JsonValueKind.Object } annotations)
        {
            foreach (var a in annotations.EnumerateObject().Where(a => a.Name.StartsWith(OurAnnotationPrefix, StringComparison.Ordinal)))
            {
                map[a.Name] = a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString() : a.Value.GetRawText();
            }
        }

        return map;
    }

    private static List<string> Strings(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? [.. a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())] : [];

    /// <summary>
    /// What the garbage collector writes to a dependent (kubernetes pkg/controller/garbagecollector: orphaning removes the
    /// reference to a deleted owner; a dependent with live owners loses its references to the dangling ones; a reference
    /// to an owner in foreground deletion is unblocked, blockOwnerDeletion false): references taken away, or kept with
    /// blockOwnerDeletion turned off, and nothing added or changed otherwise.
    /// </summary>
    private static bool CollectorOwnerChange(JsonElement? before, JsonElement? after)
    {
        var old = before is { ValueKind: JsonValueKind.Array } b ? b.EnumerateArray().ToList() : [];
        var kept = after is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().ToList() : [];
        return kept.All(k => old.Any(o => ObjectJson.String(o, "uid") == ObjectJson.String(k, "uid") && SameButUnblocked(o, k)));
    }

    private static bool SameButUnblocked(JsonElement old, JsonElement kept)
    {
        var names = old.EnumerateObject().Select(p => p.Name).Union(kept.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        return names.All(n => n == "blockOwnerDeletion"
            ? ObjectJson.Property(kept, n) is null or { ValueKind: JsonValueKind.False } || ObjectJson.SameJson(ObjectJson.Property(old, n), ObjectJson.Property(kept, n))
            : ObjectJson.SameJson(ObjectJson.Property(old, n), ObjectJson.Property(kept, n)));
    }
}
