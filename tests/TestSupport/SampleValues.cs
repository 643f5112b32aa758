namespace AiGatewayModels.TestSupport;

/// <summary>The smallest valid values, in pieces that tests combine and edit: one Gateway, two backends, one model.</summary>
public static class SampleValues
{
    public const string Gateway = "gatewayRef: {name: ai-gateway}\n";

    public const string Backends = """
        backends:
          openai: {resourceName: openai, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: openai-credentials, key: apiKey}}
          anthropic: {resourceName: anthropic, schema: Anthropic, fqdn: {hostname: api.anthropic.com, port: 443}, apiKeySecretRef: {name: anthropic-credentials, key: apiKey}}

        """;

    public const string Models = """
        models:
          gpt-4o:
            backends:
              primary: {ref: openai}
              fallback: {ref: anthropic, modelNameOverride: claude-sonnet-4-5, priority: 1}

        """;
}
