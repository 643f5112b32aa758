namespace AiGatewayModels.Engine;

/// <summary>Names shared by every component.</summary>
public static class WellKnown
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "ai-gateway-models";
    public const string SourceLabel = "models.ai-gateway.io/source";
    public const string ValuesAnnotation = "models.ai-gateway.io/values";
    public const string ValuesDataKey = "values.yaml";

    /// <summary>The header AI Gateway fills with the model id from the request body, before routing.</summary>
    public const string ModelHeader = "x-ai-eg-model";
}
