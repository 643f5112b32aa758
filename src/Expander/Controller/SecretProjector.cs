using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>
/// The Secrets a values ConfigMap names (<see cref="ValidatedModel.Secrets"/>): each is read once per reconcile, in the
/// ConfigMap's own namespace only, and used only when <see cref="SecretUseRules"/> allows it (the opt-in label, never a
/// service-account token): the expander acts for the ConfigMap's author and must not hand out a Secret for them. A
/// reference whose key is not the one AI Gateway reads becomes the Secret <c>&lt;backendKey&gt;&lt;suffix&gt;</c> with the
/// engine's shape and that data key; the value is copied as the apiserver returns it (base64) and is never logged.
/// A Secret that cannot be used is reported with one message whatever the reason (others read the status), makes no
/// projected Secret, and withholds the BackendSecurityPolicy that would name it (pruned with the rest when it was applied
/// before, unless the Secret is a projection source: then the reconcile prunes nothing, so the last copy stays).
/// </summary>
internal sealed class SecretProjector(KubeClient client)
{
    public async Task<SecretCheck> ProjectAsync(ValuesConfigMap cm, ValidatedModel model, ModelsPolicy policy, RenderOptions options, CancellationToken ct)
    {
        var secrets = new List<DesiredObject>();
        var unusable = new List<string>();
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        var projectionSourceUnusable = false;
        var read = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var s in model.Secrets)
        {
            if (!read.TryGetValue(s.Name, out var source))
            {
                source = await client.GetAsync(ApiResource.Secrets, cm.Namespace, s.Name, ct);
                read[s.Name] = source;
            }

            var value = source?.Obj("data").Str(s.Key);
            if (SecretUseRules.Problem(s, FactsOf(source, s.Key), policy) is { } problem)
            {
                unusable.Add(problem);
                projectionSourceUnusable |= s.IsProjected;
                if (model.Backends.FirstOrDefault(b => b.Key == s.BackendKey) is { } backend)
                {
                    withheld.Add(ObjectNames.SecurityPolicy(backend));
                }

                continue;
            }

            if (s.IsProjected)
            {
                var manifest = Renderer.ProjectedSecret(model, s, value!, options);
                secrets.Add(DesiredObject.From(ResourceKind.Secret, "v1", s.ProjectedName!, manifest));
            }
        }

        return new SecretCheck(secrets, unusable, withheld, projectionSourceUnusable);
    }

    /// <summary>What <see cref="SecretUseRules"/> judges of a Secret as the apiserver returned it (null: absent); never its data.</summary>
    public static SecretFacts FactsOf(JsonObject? secret, string key) =>
        secret is null
            ? SecretFacts.Absent
            : new SecretFacts(true, secret.Str("type"), secret.Label(Engine.WellKnown.CredentialLabel), secret.Obj("data").Str(key) is { Length: > 0 });
}

/// <summary>
/// The projected Secrets to apply, the named Secrets that cannot be used (one message each), and the
/// BackendSecurityPolicies withheld because they would name one of those, and whether a projection source is among them
/// (then nothing is pruned, so that the last projected copy stays).
/// </summary>
internal sealed record SecretCheck(IReadOnlyList<DesiredObject> Projected, IReadOnlyList<string> Unusable, IReadOnlySet<string> WithheldPolicies, bool ProjectionSourceUnusable);
