using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// For <c>apiKeySecretRef.key</c> other than <c>apiKey</c>: reads the user's Secret (in the ConfigMap's own namespace
/// only) and builds the Secret <c>&lt;backendKey&gt;-apikey</c> with the engine's shape, data key <c>apiKey</c>. The
/// value is copied as the apiserver returns it (base64) and is never logged; a missing Secret or key is reported by
/// name only, and then no projected Secret is made for it.
/// </summary>
internal sealed class SecretProjector(KubeClient client)
{
    public async Task<(IReadOnlyList<DesiredObject> Secrets, IReadOnlyList<string> Missing)> ProjectAsync(
        ValuesConfigMap cm, ValidatedModel model, IReadOnlyList<SecretProjection> projections, RenderOptions options, CancellationToken ct)
    {
        var secrets = new List<DesiredObject>();
        var missing = new List<string>();
        foreach (var p in projections)
        {
            var source = await client.GetAsync(KubePaths.Item(string.Empty, "v1", "secrets", cm.Namespace, p.SourceName), ct);
            if (source?.Obj("data").Str(p.SourceKey) is not { Length: > 0 } value)
            {
                missing.Add(source is null
                    ? $"Secret {p.SourceName} (for backend {p.BackendKey}) does not exist"
                    : $"Secret {p.SourceName} (for backend {p.BackendKey}) has no data key {p.SourceKey}");
                continue;
            }

            var manifest = Renderer.ProjectedSecret(model, p, value, options);
            secrets.Add(DesiredObject.From(ResourceKind.Secret, "v1", p.TargetName, manifest));
        }

        return (secrets, missing);
    }
}
