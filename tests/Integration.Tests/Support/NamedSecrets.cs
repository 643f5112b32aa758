using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using k8s;
using k8s.Models;

namespace AiGatewayModels.Integration.Tests.Support;

/// <summary>Creates the Secrets a values document names, as a user would before applying it: the engine's own list (<c>ValidatedModel.Secrets</c>).</summary>
internal static class NamedSecrets
{
    /// <summary>The opt-in label a Secret needs before values may use it (policy <c>credentials.requireSecretLabel</c>, on by default).</summary>
    public static Dictionary<string, string> CredentialLabels => new() { [WellKnown.CredentialLabel] = "true" };

    /// <summary>Every named Secret that does not exist yet, with every data key the values read from it; returns the names.</summary>
    public static async Task<IReadOnlyList<string>> CreateAsync(Kubernetes client, string ns, string valuesYaml, string value, ModelsPolicy? policy = null)
    {
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument(ns, "secrets-of", valuesYaml), policy);
        if (evaluation.Model is not { } model)
        {
            throw new InvalidOperationException("the values are invalid: " + string.Join("; ", evaluation.Errors));
        }

        var names = new List<string>();
        foreach (var secret in model.Secrets.GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            names.Add(secret.Key);
            if (!await ApiErrors.ExistsAsync(() => client.CoreV1.ReadNamespacedSecretAsync(secret.Key, ns)))
            {
                await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
                {
                    Metadata = new V1ObjectMeta { Name = secret.Key, Labels = NamedSecrets.CredentialLabels },
                    Data = secret.Select(s => s.Key).Distinct(StringComparer.Ordinal).ToDictionary(k => k, _ => Encoding.UTF8.GetBytes(value)),
                }, ns);
            }
        }

        return names;
    }
}
