using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;

namespace AiGatewayModels.Engine.Rules;

/// <summary>What the expander read about a Secret the values name: metadata and whether the key is there, never the data.</summary>
public sealed record SecretFacts(bool Exists, string? Type, string? CredentialLabel, bool HasKey)
{
    public static readonly SecretFacts Absent = new(false, null, null, false);
}

/// <summary>
/// Whether the expander may use a Secret the values name (read it, copy it, let a BackendSecurityPolicy name it). It acts
/// for the ConfigMap's author, who may not be allowed to read that Secret: the webhook asks the apiserver about the author
/// (a SubjectAccessReview), and this rule is the defence when the webhook was not in the path. Every reason gives the
/// same message, so that the status and the Events (which others may read) never tell whether a Secret or a key exists.
/// </summary>
public static class SecretUseRules
{
    public const string ServiceAccountTokenType = "kubernetes.io/service-account-token";

    /// <summary>Null when <paramref name="s"/> may be used; else the one message for every reason.</summary>
    public static string? Problem(SecretReference s, SecretFacts facts, ModelsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        var usable = facts.Exists && facts.HasKey && facts.Type != ServiceAccountTokenType &&
                     (!policy.RequireSecretLabel || facts.CredentialLabel == "true");
        return usable ? null : Unusable(s, policy);
    }

    /// <summary>The one message for a Secret that cannot be used, whatever the reason.</summary>
    public static string Unusable(SecretReference s, ModelsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var label = policy.RequireSecretLabel ? $", is not labelled {WellKnown.CredentialLabel}=true" : string.Empty;
        return $"Secret {s.Name} ({s.Path}) cannot be used: it does not exist, has no data key {s.Key}{label} or is a service-account token " +
               $"(which one is told only to those who may read it: kubectl get secret {s.Name})";
    }
}
