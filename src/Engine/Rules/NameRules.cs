using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Names we derive objects from: keys must be DNS labels so every derived name stays valid, and no two sources may
/// claim the same generated object.
/// </summary>
public static class NameRules
{
    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        if (!KubernetesNames.IsLabelValue(context.SourceName))
        {
            found.Add(Diagnostic.Error("metadata.name", $"ConfigMap name {Shown.Value(context.SourceName)} cannot be the value of the {WellKnown.SourceLabel} label (at most 63 characters); use a shorter name"));
        }

        foreach (var b in values.Backends)
        {
            CheckKey(b.Key, b.Path, "backend", found);
        }

        foreach (var m in values.Models)
        {
            CheckKey(m.Key, m.Path, "model", found);
        }

        foreach (var m in values.Models)
        {
            foreach (var s in m.Slots)
            {
                CheckKey(s.Key, s.Path, "backend slot", found);
            }
        }

        var byResourceName = new Dictionary<string, string>(values.Backends.Count, StringComparer.Ordinal);
        foreach (var b in values.Backends)
        {
            if (b.ResourceName is { } resourceName && !byResourceName.TryAdd(resourceName, b.Key))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "resourceName"), $"{resourceName} is already the resourceName of backends.{byResourceName[resourceName]}; two backends would write the same Backend and AIServiceBackend"));
            }
        }

        // A projected Secret must never overwrite a Secret that a user maintains (nor one another: no purpose's suffix ends
        // another's, and backend keys are unique), nor one that AI Gateway writes.
        var sources = values.Backends.SelectMany(BackendSecrets.Of).Where(s => s.Ref.Name is not null).ToList();
        foreach (var b in values.Backends)
        {
            foreach (var (secret, purpose) in BackendSecrets.Of(b))
            {
                if (ProjectedName(b, secret, purpose) is not { } projected)
                {
                    continue;
                }

                foreach (var (source, _) in sources.Where(s => s.Ref.Name == projected))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(source.Path, "name"), $"Secret {projected} is the one the expander writes for backends.{b.Key} (its key is not {purpose.DataKey}), so it cannot also be a source; rename the source Secret"));
                }

                if (projected.StartsWith(SecretPurpose.RotatedSecretPrefix, StringComparison.Ordinal))
                {
                    found.Add(Diagnostic.Error(b.Path, $"backend name {b.Key} would make the expander write Secret {projected}, and AI Gateway writes the Secrets named {SecretPurpose.RotatedSecretPrefix}<policy> itself; rename the backend"));
                }
            }
        }

        foreach (var (source, _) in sources.Where(s => s.Ref.Name!.StartsWith(SecretPurpose.RotatedSecretPrefix, StringComparison.Ordinal)))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(source.Path, "name"), $"Secret {Shown.Value(source.Name!)} is one that AI Gateway writes for its own credential rotation ({SecretPurpose.RotatedSecretPrefix}<policy>); reference the Secret you maintain"));
        }

        return found;
    }

    private static void CheckKey(string key, string path, string what, List<Diagnostic> found)
    {
        if (!KubernetesNames.IsDnsLabel(key))
        {
            var fixedKey = key.ToLowerInvariant().Replace('_', '-').Replace('.', '-');
            var hint = KubernetesNames.IsDnsLabel(fixedKey) && !CredentialDetector.LooksLikeCredential(key) ? $", e.g. {fixedKey}" : string.Empty;
            found.Add(Diagnostic.Error(path, $"{what} name {Shown.Value(key)} must be a DNS label (lowercase letters, digits and '-', at most 63 characters) because resource names are derived from it{hint}"));
        }
    }

    /// <summary>
    /// The Secret the expander writes for a reference whose key is not the one AI Gateway reads for its purpose, or null
    /// when AI Gateway can read the user's Secret as it is. The validated model's <see cref="Model.SecretReference"/> agrees.
    /// </summary>
    public static string? ProjectedName(BackendSpec b, SecretRefSpec secret, SecretPurpose purpose) =>
        secret.Key is { } key && key != purpose.DataKey ? b.Key + purpose.ProjectedSuffix : null;
}
