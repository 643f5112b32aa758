using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>Validated model → desired objects. Pure: the same model and options give the same objects in the same order.</summary>
public static class Renderer
{
    public static RenderResult Render(ValidatedModel model, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        var objects = new List<RenderedObject>();
        var skipped = new List<ResourceKind>();

        void Emit(ResourceKind kind, IEnumerable<(string Name, JsonObject Spec, JsonObject? Metadata)> items)
        {
            var list = items.ToList();
            if (list.Count == 0)
            {
                return;
            }

            if (options.Versions.For(kind) is not { } apiVersion)
            {
                skipped.Add(kind);
                return;
            }

            foreach (var (name, spec, metadata) in list.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var meta = metadata ?? ObjectMetadata.Build(model, name, options);
                objects.Add(new RenderedObject(kind, apiVersion, name, ObjectMetadata.Manifest(apiVersion, kind, meta, spec)));
            }
        }

        var backends = model.Backends;
        Emit(ResourceKind.Backend, backends.Select(b => (b.ResourceName, BackendObjects.Backend(b), (JsonObject?)null)));
        Emit(ResourceKind.AIServiceBackend, backends.Select(b => (b.ResourceName, BackendObjects.AIServiceBackend(b), (JsonObject?)null)));
        var omitted = new List<string>();
        var policies = new List<(string, JsonObject, JsonObject?)>(backends.Count);
        foreach (var b in backends)
        {
            if (SecurityPolicyObjects.Spec(b, model.Namespace, options.Versions.For(ResourceKind.BackendSecurityPolicy), out var unsupported) is { } spec)
            {
                policies.Add((SecurityPolicyObjects.Name(b), spec, null));
            }
            else
            {
                omitted.Add($"no {ResourceKind.BackendSecurityPolicy.Kind} {SecurityPolicyObjects.Name(b)} for backend {b.Key}: {unsupported}");
            }
        }

        Emit(ResourceKind.BackendSecurityPolicy, policies);
        Emit(ResourceKind.BackendTLSPolicy, backends.Where(b => b.TlsHostname is not null)
            .Select(b => (b.ResourceName + "-tls", BackendObjects.BackendTLSPolicy(b), (JsonObject?)null)));

        var models = model.Models;
        var engine = model.LimitEngine;
        Emit(ResourceKind.AIGatewayRoute, models.Select(m => (m.Key, ModelObjects.AIGatewayRoute(m, model), (JsonObject?)null)));
        var across = model.AcrossModels.Count > 0 && models.Count > 0;
        Emit(ResourceKind.BackendTrafficPolicy, models.Where(m => TrafficPolicyObjects.Needed(m, engine))
            .Select(m => (ObjectNames.TrafficPolicy(m.Key), TrafficPolicyObjects.BackendTrafficPolicy(m, engine, across), (JsonObject?)null))
            .Concat(across ? [(ObjectNames.AcrossModelsPolicy(model.Gateway.Name), LimitObjects.AcrossModelsPolicy(model), (JsonObject?)null)] : []));
        Emit(ResourceKind.RateLimitPolicy, models.Where(m => LimitObjects.NeedsRateLimitPolicy(m, engine)).Select(m =>
        {
            var name = ObjectNames.RateLimitPolicy(m.Key);
            var meta = ObjectMetadata.Build(model, name, options, model.RateLimit.Labels, model.RateLimit.Annotations);
            return (name, LimitObjects.RateLimitPolicy(m, engine), (JsonObject?)meta);
        }));
        Emit(ResourceKind.TokenRateLimitPolicy, models.Where(m => LimitObjects.NeedsTokenRateLimitPolicy(m, engine))
            .Select(m => (ObjectNames.TokenRateLimitPolicy(m.Key), LimitObjects.TokenRateLimitPolicy(m), (JsonObject?)null)));

        return new RenderResult(objects, skipped, [.. model.Projections], omitted);
    }

    /// <summary>
    /// How many objects <see cref="Render"/> writes with every kind served in its newest version, plus the distinct Secrets
    /// the expander projects: what the policy's object ceilings count. Counted by the predicates that decide rendering,
    /// without building a single object, so that every evaluation can afford it (a test holds it equal to the render).
    /// </summary>
    public static int ObjectCount(ValidatedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var engine = model.LimitEngine;
        var count = 0;
        foreach (var b in model.Backends)
        {
            // Backend, AIServiceBackend, BackendSecurityPolicy (the newest version expresses every credential), BackendTLSPolicy
            count += b.TlsHostname is null ? 3 : 4;
        }

        foreach (var m in model.Models)
        {
            count += 1 + (TrafficPolicyObjects.Needed(m, engine) ? 1 : 0) + (LimitObjects.NeedsRateLimitPolicy(m, engine) ? 1 : 0)
                     + (LimitObjects.NeedsTokenRateLimitPolicy(m, engine) ? 1 : 0);
        }

        count += model.AcrossModels.Count > 0 && model.Models.Count > 0 ? 1 : 0;
        return count + model.Projections.Select(p => p.ProjectedName).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>
    /// The Secret the expander writes for a projected reference: the user's value under the data key AI Gateway reads
    /// for its purpose. Built here so that its shape lives with every other generated object; only the expander ever
    /// calls it with real data.
    /// </summary>
    public static JsonObject ProjectedSecret(ValidatedModel model, SecretReference projection, string valueBase64, RenderOptions options)
    {
        var name = projection.ProjectedName ?? throw new ArgumentException($"{projection.Path} needs no projection", nameof(projection));
        var manifest = Obj(
            ("apiVersion", Str("v1")),
            ("kind", Str("Secret")),
            ("metadata", ObjectMetadata.Build(model, name, options)),
            ("type", Str("Opaque")),
            ("data", Obj((projection.Purpose.DataKey, Str(valueBase64)))));
        return manifest;
    }
}
