using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The Secrets a values ConfigMap names (<see cref="ValidatedModel.Secrets"/>): each is read once per reconcile, in the
/// ConfigMap's own namespace only. A reference whose key is not the one AI Gateway reads for its purpose becomes the
/// Secret <c>&lt;backendKey&gt;&lt;suffix&gt;</c> with the engine's shape and that data key; the value is copied as the
/// apiserver returns it (base64) and is never logged. A missing Secret or key is reported by name and field only; a
/// missing projection source makes no projected Secret (and the reconcile prunes nothing, so the last copy stays).
/// </summary>
internal sealed class SecretProjector(KubeClient client)
{
    public async Task<SecretCheck> ProjectAsync(ValuesConfigMap cm, ValidatedModel model, RenderOptions options, CancellationToken ct)
    {
        var secrets = new List<DesiredObject>();
        var missing = new List<string>();
        var projectionMissing = false;
        var read = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var s in model.Secrets)
        {
            if (!read.TryGetValue(s.Name, out var source))
            {
                source = await client.GetAsync(ApiResource.Secrets, cm.Namespace, s.Name, ct);
                read[s.Name] = source;
            }

            if (source?.Obj("data").Str(s.Key) is not { Length: > 0 } value)
            {
                missing.Add(source is null
                    ? $"Secret {s.Name} ({s.Path}) does not exist"
                    : $"Secret {s.Name} ({s.Path}) has no data key {s.Key}");
                projectionMissing |= s.IsProjected;
                continue;
            }

            if (s.IsProjected)
            {
                var manifest = Renderer.ProjectedSecret(model, s, value, options);
                secrets.Add(DesiredObject.From(ResourceKind.Secret, "v1", s.ProjectedName!, manifest));
            }
        }

        return new SecretCheck(secrets, missing, projectionMissing);
    }
}

/// <summary>The projected Secrets to apply, the named Secrets (or keys) that are missing, and whether a projection source is among them.</summary>
internal sealed record SecretCheck(IReadOnlyList<DesiredObject> Projected, IReadOnlyList<string> Missing, bool ProjectionMissing);
