namespace AiGatewayModels.TestSupport.Cases;

/// <summary>Small valid values shared by the webhook's HTTPS tests and its real-apiserver tests.</summary>
public static class SampleValues
{
    /// <summary>Two OpenAI-schema backends and one model served by both.</summary>
    public const string TwoBackendsOneModel = """
        gatewayRef:
          name: ai-gateway
        backends:
          openai:
            resourceName: openai-backend
            schema: OpenAI
            fqdn:
              hostname: api.openai.com
              port: 443
            apiKeySecretRef:
              name: openai-apikey
              key: apiKey
          azure:
            resourceName: azure-backend
            schema: OpenAI
            fqdn:
              hostname: example.openai.azure.com
              port: 443
            apiKeySecretRef:
              name: azure-apikey
              key: apiKey
        models:
          gpt-4:
            backends:
              primary:
                ref: openai
              secondary:
                ref: azure
        """;
}
