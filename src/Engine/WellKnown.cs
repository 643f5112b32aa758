namespace AiGatewayModels.Engine;

/// <summary>Names shared by every component.</summary>
public static class WellKnown
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "ai-gateway-models";
    public const string SourceLabel = "models.ai-gateway.io/source";
    public const string ValuesAnnotation = "models.ai-gateway.io/values";
    public const string ValuesDataKey = "values.yaml";

    /// <summary>The expander's report on a values ConfigMap; the webhook lets only the expander write it.</summary>
    public const string StatusAnnotation = "models.ai-gateway.io/status";

    /// <summary>
    /// The opt-in label (value <c>"true"</c>) a Secret needs before values may use it as a credential (policy
    /// <c>credentials.requireSecretLabel</c>, on by default): whoever labels it says that it is meant for the gateway.
    /// </summary>
    public const string CredentialLabel = "models.ai-gateway.io/credential";

    /// <summary>The header AI Gateway fills with the model id from the request body, before routing.</summary>
    public const string ModelHeader = "x-ai-eg-model";
}
