using AiGatewayModels.Engine.Credentials;

namespace AiGatewayModels.Engine.Model;

/// <summary>
/// A Secret the values name, in the ConfigMap's namespace: its name and data key, the field that names it and what it is
/// for. <see cref="ValidatedModel.Secrets"/> lists every one; the webhook checks that they exist, the expander reads
/// them (projecting those whose key is not the one AI Gateway reads) and reports the missing ones. Only names travel
/// here, never secret data.
/// </summary>
public sealed record SecretReference(string BackendKey, string Path, SecretPurpose Purpose, string Name, string Key)
{
    /// <summary>True when AI Gateway cannot read <see cref="Key"/>, so the expander copies it under <see cref="SecretPurpose.DataKey"/>.</summary>
    public bool IsProjected => Key != Purpose.DataKey;

    /// <summary>The Secret the expander writes, or null when AI Gateway reads the user's Secret itself.</summary>
    public string? ProjectedName => IsProjected ? BackendKey + Purpose.ProjectedSuffix : null;

    /// <summary>The Secret the BackendSecurityPolicy names: the projected copy, or the user's own.</summary>
    public string PolicySecretName => ProjectedName ?? Name;
}
