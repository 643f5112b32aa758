using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Diff;

/// <summary>
/// Compares what the expander would make of a values ConfigMap with what the cluster has, and writes nothing: every
/// request is a GET, a LIST, discovery, or a server-side apply with <c>dryRun=All</c>. The values ConfigMap itself is
/// dry-run applied first, so that the cluster's admission webhook judges it (its policy, the other values ConfigMaps
/// on the Gateway); each desired object is then dry-run applied with the expander's field manager and compared with
/// the live one, as the expander would apply it (an object this ConfigMap does not own is a conflict, untouched).
/// </summary>
internal sealed class ClusterDiff(KubeClient client, IDiscovery discovery)
{
    /// <summary>The owner UID of objects of a ConfigMap that does not exist yet (dry-run only: nothing is stored).</summary>
    private const string NewConfigMapUid = "00000000-0000-0000-0000-000000000000";

    private static readonly string[] ServerSetMetadata = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

    public async Task<DiffReport> RunAsync(ValuesDocument document, ValidatedModel model, ModelsPolicy policy, CancellationToken ct)
    {
        var report = new DiffReport();
        var uid = (await client.GetAsync(ApiResource.ConfigMaps, document.Namespace, document.Name, ct))?.Uid();
        var selection = ApiVersionSelection.From(await discovery.ServedAsync(ct), unmentionedAreServed: false);
        var rendered = Renderer.Render(model, new RenderOptions(selection, new OwnerConfigMap(document.Name, uid ?? NewConfigMapUid)));
        foreach (var kind in rendered.SkippedKinds)
        {
            report.Warnings.Add($"no {kind.Kind} objects: the cluster serves none of {string.Join(", ", kind.Versions.Select(kind.ApiVersion))} (is its CRD installed?)");
        }

        var secrets = await SecretUseAsync(document.Namespace, model, policy, report, ct);
        var objects = rendered.Objects.Where(o => !(o.Kind == ResourceKind.BackendSecurityPolicy && secrets.WithheldPolicies.Contains(o.Name))).ToList();
        foreach (var desired in objects.Select(DesiredObject.From))
        {
            report.Entries.Add(await CompareAsync(document.Namespace, uid, desired, ct));
        }

        var projections = rendered.SecretProjections.Where(p => !secrets.Unusable.Contains((p.Name, p.Key))).ToList();
        foreach (var p in projections)
        {
            report.ProjectedSecrets.Add($"Secret {p.ProjectedName} (projected from Secret {p.Name}, key {p.Key})");
        }

        if (uid is not null && secrets.ProjectionSourceUnusable)
        {
            report.Warnings.Add("nothing is pruned while a Secret the expander projects cannot be used (the last projected copy stays)");
        }
        else if (uid is not null)
        {
            var wanted = objects.Select(o => (o.Kind, o.Name))
                .Concat(projections.Select(p => (ResourceKind.Secret, p.ProjectedName!))).ToHashSet();
            await PrunesAsync(document, uid, selection, wanted, report, ct);
        }

        return report;
    }

    /// <summary>
    /// The Secrets the values name, judged as the expander judges them (<see cref="SecretUseRules"/>, read with the caller's
    /// own rights): one it may not use withholds its backend's BackendSecurityPolicy and its projection, as in a reconcile.
    /// A Secret the caller may not read is a warning: the expander may still use it, and diff cannot tell.
    /// </summary>
    private async Task<(HashSet<string> WithheldPolicies, HashSet<(string Name, string Key)> Unusable, bool ProjectionSourceUnusable)> SecretUseAsync(
        string ns, ValidatedModel model, ModelsPolicy policy, DiffReport report, CancellationToken ct)
    {
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        var unusable = new HashSet<(string Name, string Key)>();
        var projectionSourceUnusable = false;
        foreach (var s in model.Secrets)
        {
            JsonObject? secret;
            try
            {
                secret = await client.GetAsync(ApiResource.Secrets, ns, s.Name, ct);
            }
            catch (KubeApiException e) when (e.Status == System.Net.HttpStatusCode.Forbidden)
            {
                report.Warnings.Add($"Secret {s.Name} ({s.Path}): you may not read it, so diff cannot tell whether the expander may use it " +
                                    $"(it uses only Secrets labelled {WellKnown.CredentialLabel}=true that hold key {s.Key})");
                continue;
            }

            if (SecretUseRules.Problem(s, SecretProjector.FactsOf(secret, s.Key), policy) is { } problem)
            {
                unusable.Add((s.Name, s.Key));
                projectionSourceUnusable |= s.IsProjected;
                if (model.Backends.FirstOrDefault(b => b.Key == s.BackendKey) is { } backend && withheld.Add(ObjectNames.SecurityPolicy(backend)))
                {
                    report.Warnings.Add($"{problem}; the expander withholds BackendSecurityPolicy {ObjectNames.SecurityPolicy(backend)} until it can be used");
                }
            }
        }

        return (withheld, unusable, projectionSourceUnusable);
    }

    /// <summary>
    /// The values ConfigMap through the cluster's admission (dry run): a denial is the webhook's own message. Without a
    /// webhook in the cluster this only checks that the ConfigMap could be stored.
    /// </summary>
    public async Task<bool> AdmitAsync(ValuesDocument document, DiffReport report, CancellationToken ct)
    {
        var live = await client.GetAsync(ApiResource.ConfigMaps, document.Namespace, document.Name, ct);
        var manifest = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = document.Name,
                ["namespace"] = document.Namespace,
                ["annotations"] = new JsonObject { [WellKnown.ValuesAnnotation] = "true" },
            },
            ["data"] = new JsonObject { [WellKnown.ValuesDataKey] = document.ValuesYaml },
        };
        try
        {
            await client.ApplyAsync(ApiResource.ConfigMaps, document.Namespace, manifest, force: live is not null, ct, dryRun: true);
            return true;
        }
        catch (KubeApiException e) when (!e.IsNotFound)
        {
            report.Errors.Add($"the cluster refuses ConfigMap {document.Namespace}/{document.Name}: {e.ApiMessage}");
            return false;
        }
    }

    private async Task<DiffEntry> CompareAsync(string ns, string? uid, DesiredObject d, CancellationToken ct)
    {
        var resource = ApiResource.Of(d.ApiVersion, d.Kind.Plural);
        var current = await client.GetAsync(resource, ns, d.Name, ct);
        if (current is not null && current.ControllerConfigMapUid() is var owner && (uid is null || owner != uid))
        {
            var by = current.ControllerConfigMapName() is { } n ? $"owned by another ConfigMap ({n})" : "not created by this ConfigMap";
            return new DiffEntry(d.Kind.Kind, d.Name, Change.Conflict, string.Empty, $"{d.Kind.Kind} {d.Name} exists and is {by}; the expander leaves it untouched");
        }

        JsonObject result;
        try
        {
            result = await client.ApplyAsync(resource, ns, d.Manifest, force: current is not null, ct, dryRun: true);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return new DiffEntry(d.Kind.Kind, d.Name, Change.Conflict, string.Empty, $"{d.Kind.Kind} {d.Name}: {e.ApiMessage}");
        }

        if (d.Kind == ResourceKind.Secret)
        {
            return new DiffEntry(d.Kind.Kind, d.Name, current is null ? Change.Create : Change.Unchanged, string.Empty, null);
        }

        var before = current is null ? string.Empty : Yaml(current);
        var after = Yaml(result);
        var diff = UnifiedDiff.Of(before, after, $"live/{d.Kind.Kind}/{d.Name}", $"desired/{d.Kind.Kind}/{d.Name}");
        var change = current is null ? Change.Create : diff.Length == 0 ? Change.Unchanged : Change.Update;
        return new DiffEntry(d.Kind.Kind, d.Name, change, diff, null);
    }

    /// <summary>Objects of our kinds that carry this ConfigMap's labels and controller reference but are no longer desired.</summary>
    private async Task PrunesAsync(ValuesDocument document, string uid, ApiVersionSelection selection, HashSet<(ResourceKind, string)> wanted, DiffReport report, CancellationToken ct)
    {
        var selector = $"{WellKnown.ManagedByLabel}={WellKnown.ManagedByValue},{WellKnown.SourceLabel}={document.Name}";
        foreach (var kind in ResourceKind.All.Where(k => selection.For(k) is not null))
        {
            var list = await client.ListAsync(ApiResource.Of(selection.For(kind)!, kind.Plural), document.Namespace, selector, null, ct);
            foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (item.Name() is { } name && item.ControllerConfigMapUid() == uid && !wanted.Contains((kind, name)))
                {
                    report.Entries.Add(new DiffEntry(kind.Kind, name, Change.Prune, string.Empty, $"{kind.Kind} {name} is no longer desired: the expander deletes it"));
                }
            }
        }
    }

    /// <summary>The object as YAML without what the server sets (status, managed fields, versions, UIDs, times).</summary>
    private static string Yaml(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in ServerSetMetadata)
            {
                metadata.Remove(key);
            }
        }

        return YamlWriter.Write([copy]);
    }
}
