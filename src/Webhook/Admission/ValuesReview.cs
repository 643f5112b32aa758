using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AiGatewayModels.Common.Policy;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Webhook.Cluster;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// Values ConfigMaps: the engine judges them (every rule, the current policy); the webhook adds only what needs the
/// cluster: whether the author may read every Secret the values name (the expander acts for the author), collisions
/// with other values ConfigMaps and references to objects that do not exist. Validation ratchets: an update that leaves
/// the values as they were is not judged again (so the expander can always write its status, even when a newer policy
/// refuses the values), and that status annotation is the expander's alone.
/// </summary>
internal sealed class ValuesReview(PolicyWatch policy, IClusterView cluster, EvaluationCache cache, WebhookSettings settings)
{
    public const string ValuesHashAnnotation = "models.ai-gateway.io/values-hash";

    /// <summary>kubectl prints the whole denial: past this many errors, the rest are counted, not listed.</summary>
    private const int MaxListedErrors = CachedEvaluation.MaxKeptErrors;

    // Per values ConfigMap of the view: its footprint under a policy generation, and its values text held weakly (the
    // view holds the text; a footprint kept here must not keep an old or deleted ConfigMap's text alive). Entries of
    // ConfigMaps that left the view are dropped when their namespace is next reviewed, so this follows the view's size.
    private readonly ConcurrentDictionary<string, (long Generation, WeakReference<string> Values, Footprint? Footprint)> footprints = new(StringComparer.Ordinal);

    /// <summary>The scope filter, on metadata only: other ConfigMaps are never parsed.</summary>
    public static bool IsValuesConfigMap(JsonElement? obj) => ObjectJson.Annotation(obj, WellKnown.ValuesAnnotation) == "true";

    public async Task<AdmissionResponse> ValidateAsync(AdmissionRequest request, string uid, CancellationToken cancellationToken)
    {
        if (request.Operation is not ("CREATE" or "UPDATE") || !IsValuesConfigMap(request.Object))
        {
            return Verdicts.Allow(uid);
        }

        if (StatusForged(request) is { } forged)
        {
            return Verdicts.Deny(uid, forged);
        }

        if (ValuesUnchanged(request))
        {
            return Verdicts.Allow(uid);
        }

        var (judged, _, readFindings, display) = await EvaluateAsync(request, withValuesHash: false, cancellationToken);
        var evaluation = judged;
        var findings = readFindings.Concat(evaluation?.Diagnostics ?? []).ToList();
        var warnings = findings.Where(d => !d.IsError).Select(d => d.ToString()).ToList();
        var errors = findings.Where(d => d.IsError).ToList();
        if (errors.Count > 0 || evaluation?.Model is not { } model)
        {
            return Verdicts.Deny(uid, DenialMessage(display, errors, evaluation?.OmittedErrors ?? 0), 403, warnings);
        }

        if (cluster.Available)
        {
            if (await UnreadableSecretsAsync(request, model, cancellationToken) is { } unreadable)
            {
                return Verdicts.Deny(uid, $"ConfigMap {display}: {unreadable}", 403, warnings);
            }

            if (Collision(model, judged!.Footprint!) is { } collision)
            {
                return Verdicts.Deny(uid, $"ConfigMap {display}: {collision}", 403, warnings);
            }

            if (NamespaceTooLarge(model, judged.Footprint!) is { } tooLarge)
            {
                return Verdicts.Deny(uid, $"ConfigMap {display}: {tooLarge}", 403, warnings);
            }

            await MissingReferencesAsync(model, warnings, cancellationToken);
        }

        return Verdicts.Allow(uid, warnings);
    }

    /// <summary>Labels the values ConfigMap and records its values hash; no patch when both are already right.</summary>
    public async Task<AdmissionResponse> MutateAsync(AdmissionRequest request, string uid, CancellationToken cancellationToken)
    {
        if (request.Operation is not ("CREATE" or "UPDATE") || !IsValuesConfigMap(request.Object))
        {
            return Verdicts.Allow(uid);
        }

        var (evaluation, document, _, _) = await EvaluateAsync(request, withValuesHash: true, cancellationToken);
        var obj = request.Object;
        var buffer = new ArrayBufferWriter<byte>();
        var ops = 0;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            var labels = ObjectJson.Property(ObjectJson.Metadata(obj), "labels");
            if (labels is not { ValueKind: JsonValueKind.Object })
            {
                w.WriteStartObject();
                w.WriteString("op", "add");
                w.WriteString("path", "/metadata/labels");
                w.WritePropertyName("value");
                w.WriteStartObject();
                w.WriteString(WellKnown.ValuesAnnotation, "true");
                w.WriteEndObject();
                w.WriteEndObject();
                ops++;
            }
            else if (ObjectJson.String(labels, WellKnown.ValuesAnnotation) != "true")
            {
                Add(w, "/metadata/labels/" + PointerSegment(WellKnown.ValuesAnnotation), "true");
                ops++;
            }

            if (document is not null && evaluation?.ValuesHashOf(document) is { } hash && ObjectJson.Annotation(obj, ValuesHashAnnotation) != hash)
            {
                // the values annotation is there (the scope filter saw it), so the annotations map exists
                Add(w, "/metadata/annotations/" + PointerSegment(ValuesHashAnnotation), hash);
                ops++;
            }

            w.WriteEndArray();
        }

        return ops == 0 ? Verdicts.Allow(uid) : Verdicts.Patch(uid, buffer.WrittenSpan.ToArray());
    }

    /// <summary>
    /// True for an UPDATE of a values ConfigMap that leaves its data as it was: the values were judged when they were
    /// written, and judging them again under a newer policy would only block the expander's status write.
    /// </summary>
    public static bool ValuesUnchanged(AdmissionRequest request) =>
        request.Operation == "UPDATE" && IsValuesConfigMap(request.OldObject) &&
        ObjectJson.SameJson(ObjectJson.Property(request.OldObject, "data"), ObjectJson.Property(request.Object, "data")) &&
        ObjectJson.SameJson(ObjectJson.Property(request.OldObject, "binaryData"), ObjectJson.Property(request.Object, "binaryData"));

    /// <summary>
    /// The status annotation tells everyone reading the ConfigMap whether its objects are in sync: only the expander
    /// may set or change it (taking it away is harmless: the expander writes it again).
    /// </summary>
    private string? StatusForged(AdmissionRequest request)
    {
        var status = ObjectJson.Annotation(request.Object, WellKnown.StatusAnnotation);
        if (status is null || status == ObjectJson.Annotation(request.OldObject, WellKnown.StatusAnnotation) ||
            request.UserInfo?.Username == settings.ExpanderUsername)
        {
            return null;
        }

        var name = ObjectJson.String(ObjectJson.Metadata(request.Object), "name") ?? request.Name;
        return $"ConfigMap {request.Namespace}/{name}: the annotation {WellKnown.StatusAnnotation} is written by the expander only; " +
               "leave it out of your change (kubectl apply keeps it; copy manifests without it)";
    }

    /// <summary>
    /// The expander reads, copies and hands to AI Gateway every Secret the values name, for the author of the values: so
    /// the author must be allowed to <c>get</c> each of them, whoever they are (a changed hostname redirects a credential as
    /// surely as a changed reference, so every Secret is checked whenever the values change). The apiserver's authorizers
    /// decide (a SubjectAccessReview with the request's user). The answer does not depend on whether the Secret exists,
    /// and neither does the message.
    /// </summary>
    private async Task<string?> UnreadableSecretsAsync(AdmissionRequest request, ValidatedModel model, CancellationToken cancellationToken)
    {
        var info = request.UserInfo;
        var who = new Kube.Requester(info?.Username ?? string.Empty, info?.Groups ?? [], info?.Uid, info?.Extra);
        var refused = new List<string>();
        foreach (var secret in model.Secrets.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var fields = string.Join(", ", secret.Select(s => FieldPath.Child(s.Path, "name")));
            switch (await cluster.MayGetSecretAsync(who, model.Namespace, secret.Key, cancellationToken))
            {
                case true:
                    continue;
                case false:
                    refused.Add($"{secret.Key} ({fields})");
                    break;
                default:
                    return $"could not check that {Shown.Value(who.User)} may get Secret {secret.Key} ({fields}): the SubjectAccessReview failed; try again";
            }
        }

        return refused.Count == 0
            ? null
            : $"values may only name Secrets that their author may read, and {Shown.Value(who.User)} may not get Secret {string.Join(", ", refused)} " +
              $"in namespace {model.Namespace}; ask for get on it (RBAC, resourceNames) or name a Secret you may read";
    }

    /// <summary>RFC 6901: "~" becomes "~0" and "/" becomes "~1", in that order.</summary>
    public static string PointerSegment(string key) =>
        key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void Add(Utf8JsonWriter w, string path, string value)
    {
        w.WriteStartObject();
        w.WriteString("op", "add");
        w.WriteString("path", path);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    private async Task<(CachedEvaluation? Judged, ValuesDocument? Document, IReadOnlyList<Diagnostic> ReadFindings, string Display)> EvaluateAsync(
        AdmissionRequest request, bool withValuesHash, CancellationToken cancellationToken)
    {
        var tree = ObjectJson.ConfigMapTree(request.Object!.Value, request.Namespace);
        var (document, readFindings) = ConfigMapReader.Read(tree);
        var display = document is null
            ? $"{request.Namespace}/{ObjectJson.String(ObjectJson.Metadata(request.Object), "name") ?? request.Name}"
            : $"{document.Namespace}/{document.Name}";
        if (document is null)
        {
            return (null, null, readFindings, display);
        }

        // read the policy and its generation together: a policy applied in between must not be cached under the old generation
        var (current, generation) = policy.Snapshot;
        var judged = await cache.GetOrEvaluateAsync(document, generation, d => ValuesEvaluator.Evaluate(d, current, kept: CachedEvaluation.JudgedFindings), withValuesHash, cancellationToken);
        return (judged, document, readFindings, display);
    }

    /// <summary><paramref name="omitted"/>: errors the cache counted but did not keep (it keeps no more than are listed).</summary>
    private static string DenialMessage(string display, List<Diagnostic> errors, int omitted)
    {
        var total = errors.Count + omitted;
        var sb = new StringBuilder();
        sb.Append("ConfigMap ").Append(display).Append(": ").Append(total).Append(total == 1 ? " error" : " errors")
            .Append(" in the models values (paths inside data.\"").Append(WellKnown.ValuesDataKey).Append("\" unless they start with metadata or data):");
        foreach (var e in errors.Take(MaxListedErrors))
        {
            sb.Append('\n').Append(e.ToString());
        }

        if (total > MaxListedErrors)
        {
            sb.Append("\n… and ").Append(total - MaxListedErrors).Append(" more errors; run the CLI's validate to see them all");
        }

        return sb.ToString();
    }

    private string? Collision(ValidatedModel model, Footprint mine)
    {
        foreach (var other in cluster.ValuesConfigMaps.OrderBy(o => o.Document.Namespace, StringComparer.Ordinal).ThenBy(o => o.Document.Name, StringComparer.Ordinal))
        {
            if (other.Document.Namespace == model.Namespace && other.Document.Name == model.SourceName)
            {
                continue;
            }

            if (FootprintOf(other) is not { } theirs)
            {
                continue;
            }

            // the expander decides who gets a claim (the older ConfigMap); this is the early warning
            var (objects, matches) = ClaimRules.Contested(mine, theirs);
            var otherName = theirs.Namespace == mine.Namespace ? $"ConfigMap {other.Document.Namespace}/{other.Document.Name}" : "a ConfigMap in another namespace";
            if (objects.Count > 0)
            {
                // the policy of limits across models is named after the Gateway: Envoy Gateway attaches one policy to a Gateway
                return objects[0] == $"{ResourceKind.BackendTrafficPolicy.Kind} {ObjectNames.AcrossModelsPolicy(model.Gateway.Name)}"
                    ? $"the generated {objects[0]} would also be generated by {otherName}: Envoy Gateway attaches one BackendTrafficPolicy to a Gateway, so only one values ConfigMap may count limits across models (rateLimiting.acrossModels) on Gateway {mine.Gateway}; move these limits into that ConfigMap, or count per model"
                    : $"the generated {objects[0]} would also be generated by {otherName}; rename the backend or model (or its resourceName)";
            }

            if (matches.Count > 0)
            {
                return $"modelMatch \"{matches[0]}\" on Gateway {mine.Gateway} is already routed by {otherName}; use another modelMatch or Gateway";
            }
        }

        return null;
    }

    /// <summary>
    /// The policy's ceilings of the namespace, summed over its values ConfigMaps in the watch cache (the one being changed
    /// counted with its new values). The early warning: the expander decides (older ConfigMaps first) and also refuses what
    /// two simultaneous creations let through here.
    /// </summary>
    private string? NamespaceTooLarge(ValidatedModel model, Footprint mine)
    {
        var others = new List<Footprint>();
        Footprint? before = null;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in cluster.ValuesConfigMaps)
        {
            if (other.Document.Namespace == model.Namespace)
            {
                present.Add(FootprintKey(other.Document));
            }

            if (other.Document.Namespace == model.Namespace && FootprintOf(other) is { } theirs)
            {
                if (other.Document.Name == model.SourceName)
                {
                    before = theirs;
                }
                else
                {
                    others.Add(theirs);
                }
            }
        }

        var prefix = model.Namespace + "/";
        foreach (var key in footprints.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !present.Contains(key))
            {
                footprints.TryRemove(key, out _);
            }
        }

        return NamespaceCeilings.Exceeded(mine, before, others, policy.Snapshot.Policy.Ceilings);
    }

    private static string FootprintKey(ValuesDocument doc) => $"{doc.Namespace}/{doc.Name}";

    /// <summary>
    /// The footprint of another values ConfigMap under the current policy, kept per ConfigMap while its values and the
    /// policy stay the same: metadata-only updates (the expander's status annotation) do not re-evaluate it.
    /// </summary>
    private Footprint? FootprintOf(StoredValues other)
    {
        var (current, generation) = policy.Snapshot;
        var doc = other.Document;
        var key = FootprintKey(doc);
        if (footprints.TryGetValue(key, out var known) && known.Generation == generation && known.Values.TryGetTarget(out var values) &&
            (ReferenceEquals(values, doc.ValuesYaml) || string.Equals(values, doc.ValuesYaml, StringComparison.Ordinal)))
        {
            return known.Footprint;
        }

        var evaluation = ValuesEvaluator.Evaluate(doc, current, kept: CachedEvaluation.JudgedFindings);
        var footprint = evaluation.Model is { } m ? Footprint.Of(m) : null;
        if (footprints.Count > 10_000)
        {
            footprints.Clear();
        }

        footprints[key] = (generation, new WeakReference<string>(doc.ValuesYaml), footprint);
        return footprint;
    }

    private async Task MissingReferencesAsync(ValidatedModel model, List<string> warnings, CancellationToken cancellationToken)
    {
        // every Secret the values name, once per name, with every field that names it: last, since the apiserver cuts
        // long admission warnings short (at 120 characters on v1.20)
        foreach (var secret in model.Secrets.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (await cluster.SecretExistsAsync(model.Namespace, secret.Key, cancellationToken) == false)
            {
                warnings.Add($"Secret {model.Namespace}/{secret.Key} does not exist yet ({string.Join(", ", secret.Select(s => FieldPath.Child(s.Path, "name")))})");
            }
        }

        var gatewayNs = model.Gateway.Namespace ?? model.Namespace;
        if (await cluster.GatewayExistsAsync(gatewayNs, model.Gateway.Name, cancellationToken) == false)
        {
            warnings.Add($"Gateway {gatewayNs}/{model.Gateway.Name} (gatewayRef) does not exist yet");
        }
    }
}
