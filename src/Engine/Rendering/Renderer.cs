using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rules;
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
        Emit(ResourceKind.BackendSecurityPolicy, backends.Select(b => (b.Key + NameRules.ApiKeySuffix, BackendObjects.BackendSecurityPolicy(b), (JsonObject?)null)));
        Emit(ResourceKind.BackendTLSPolicy, backends.Where(b => b.TlsHostname is not null)
            .Select(b => (b.ResourceName + "-tls", BackendObjects.BackendTLSPolicy(b), (JsonObject?)null)));

        var models = model.Models;
        Emit(ResourceKind.AIGatewayRoute, models.Select(m => (m.Key, ModelObjects.AIGatewayRoute(m, model.Gateway), (JsonObject?)null)));
        Emit(ResourceKind.BackendTrafficPolicy, models.Where(m => m.Failover is not null)
            .Select(m => (m.Key + "-failover", ModelObjects.BackendTrafficPolicy(m, m.Failover!), (JsonObject?)null)));
        if (model.RateLimit.Enabled)
        {
            Emit(ResourceKind.RateLimitPolicy, models.Select(m =>
            {
                var name = m.Key + "-ratelimit";
                var meta = ObjectMetadata.Build(model, name, options, model.RateLimit.Labels, model.RateLimit.Annotations);
                return (name, ModelObjects.RateLimitPolicy(m), (JsonObject?)meta);
            }));
        }

        return new RenderResult(objects, skipped, model.SecretProjections);
    }

    /// <summary>
    /// The Secret the expander writes for a projection: the user's key under data key <c>apiKey</c>. Built here so that
    /// its shape lives with every other generated object; only the expander ever calls it with real data.
    /// </summary>
    public static JsonObject ProjectedSecret(ValidatedModel model, SecretProjection projection, string apiKeyBase64, RenderOptions options)
    {
        var manifest = Obj(
            ("apiVersion", Str("v1")),
            ("kind", Str("Secret")),
            ("metadata", ObjectMetadata.Build(model, projection.TargetName, options)),
            ("type", Str("Opaque")),
            ("data", Obj(("apiKey", Str(apiKeyBase64)))));
        return manifest;
    }
}
