using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Names we derive objects from: keys must be DNS labels so every derived name stays valid, and no two sources may
/// claim the same generated object.
/// </summary>
public static class NameRules
{
    public const string ApiKeySuffix = "-apikey";

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

        // A projected Secret must never overwrite a Secret that a user maintains.
        foreach (var b in values.Backends)
        {
            if (!NeedsProjection(b))
            {
                continue;
            }

            var projected = b.Key + ApiKeySuffix;
            foreach (var other in values.Backends)
            {
                if (other.ApiKeySecretRef is { Name: { } source } secret && source == projected)
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(secret.Path, "name"), $"Secret {projected} is the one the expander writes for backends.{b.Key} (its key is not apiKey), so it cannot also be a source; rename the source Secret"));
                }
            }
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

    /// <summary>AI Gateway reads the data key <c>apiKey</c>; any other key needs a projected copy.</summary>
    public static bool NeedsProjection(BackendSpec b) => b.ApiKeySecretRef is { Key: { } key } && key != "apiKey";
}
