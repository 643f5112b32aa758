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
        if (!KubernetesNames.IsLabelValue(context.SourceName))
        {
            yield return Diagnostic.Error("metadata.name", $"ConfigMap name {Shown.Value(context.SourceName)} cannot be the value of the {WellKnown.SourceLabel} label (at most 63 characters); use a shorter name");
        }

        foreach (var (key, path, what) in values.Backends.Select(b => (b.Key, b.Path, "backend")).Concat(values.Models.Select(m => (m.Key, m.Path, "model")))
                     .Concat(values.Models.SelectMany(m => m.Slots).Select(s => (s.Key, s.Path, "backend slot"))))
        {
            if (!KubernetesNames.IsDnsLabel(key))
            {
                var fixedKey = key.ToLowerInvariant().Replace('_', '-').Replace('.', '-');
                var hint = KubernetesNames.IsDnsLabel(fixedKey) && !CredentialDetector.LooksLikeCredential(key) ? $", e.g. {fixedKey}" : string.Empty;
                yield return Diagnostic.Error(path, $"{what} name {Shown.Value(key)} must be a DNS label (lowercase letters, digits and '-', at most 63 characters) because resource names are derived from it{hint}");
            }
        }

        var byResourceName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in values.Backends.Where(b => b.ResourceName is not null))
        {
            if (!byResourceName.TryAdd(b.ResourceName!, b.Key))
            {
                yield return Diagnostic.Error(FieldPath.Child(b.Path, "resourceName"), $"{b.ResourceName} is already the resourceName of backends.{byResourceName[b.ResourceName!]}; two backends would write the same Backend and AIServiceBackend");
            }
        }

        // A projected Secret must never overwrite a Secret that a user maintains.
        var sources = values.Backends.Where(b => b.ApiKeySecretRef?.Name is not null).ToList();
        foreach (var b in values.Backends.Where(NeedsProjection))
        {
            var projected = b.Key + ApiKeySuffix;
            foreach (var other in sources.Where(o => o.ApiKeySecretRef!.Name == projected))
            {
                yield return Diagnostic.Error(FieldPath.Child(other.ApiKeySecretRef!.Path, "name"), $"Secret {projected} is the one the expander writes for backends.{b.Key} (its key is not apiKey), so it cannot also be a source; rename the source Secret");
            }
        }
    }

    /// <summary>AI Gateway reads the data key <c>apiKey</c>; any other key needs a projected copy.</summary>
    public static bool NeedsProjection(BackendSpec b) => b.ApiKeySecretRef is { Key: { } key } && key != "apiKey";
}
