using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>backends.*: names, schema, credentials reference and prefix. Hostnames and TLS are <see cref="HostnameRules"/>.</summary>
public static class BackendRules
{
    /// <summary>The schema enum of AIServiceBackend (v1beta1).</summary>
    public static readonly IReadOnlyList<string> Schemas =
        ["OpenAI", "Cohere", "AWSBedrock", "AzureOpenAI", "GCPVertexAI", "GCPAnthropic", "Anthropic", "AWSAnthropic"];

    /// <summary>Schemas whose providers authenticate with cloud credentials, not an API key.</summary>
    public static readonly IReadOnlyList<string> CloudCredentialSchemas = ["AWSBedrock", "GCPVertexAI", "GCPAnthropic", "AWSAnthropic"];

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        foreach (var b in values.Backends)
        {
            if (b.ResourceName is { } resourceName && !KubernetesNames.IsDnsLabel(resourceName))
            {
                yield return Diagnostic.Error(FieldPath.Child(b.Path, "resourceName"), $"{Shown.Value(resourceName)} is not a valid resource name; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
            }

            foreach (var d in CheckSchema(b, context))
            {
                yield return d;
            }

            if (b.Prefix is { } prefix && (!prefix.StartsWith('/') || prefix.Any(char.IsWhiteSpace)))
            {
                yield return Diagnostic.Error(FieldPath.Child(b.Path, "prefix"), $"{Shown.Value(prefix)} is not a URL path prefix; it must start with '/' and hold no spaces, e.g. /v1");
            }

            if (b.ApiKeySecretRef is { } secret)
            {
                if (secret.Name is { } n && !KubernetesNames.IsDnsSubdomain(n))
                {
                    yield return Diagnostic.Error(FieldPath.Child(secret.Path, "name"), $"{Shown.Value(n)} is not a valid Secret name; use lowercase letters, digits, '-' and '.'");
                }

                if (secret.Key is { } k && !KubernetesNames.IsSecretKey(k))
                {
                    yield return Diagnostic.Error(FieldPath.Child(secret.Path, "key"), $"{Shown.Value(k)} is not a valid Secret data key; use letters, digits, '-', '_' and '.'");
                }
            }
        }
    }

    private static IEnumerable<Diagnostic> CheckSchema(BackendSpec b, RuleContext context)
    {
        if (b.Schema is not { } schema)
        {
            yield break;
        }

        var path = FieldPath.Child(b.Path, "schema");
        if (!Schemas.Contains(schema))
        {
            yield return Diagnostic.Error(path, $"unknown schema {Shown.Value(schema)}{DidYouMean.Suggest(schema, Schemas)}; one of {string.Join(", ", Schemas)}");
        }
        else if (CloudCredentialSchemas.Contains(schema))
        {
            yield return Diagnostic.Error(path, $"schema {schema} authenticates with cloud credentials (AWS or GCP), which API-key auth (apiKeySecretRef) cannot serve; use an API-key provider (OpenAI, Anthropic, AzureOpenAI, Cohere) for now");
        }
        else if (context.Policy.AllowedSchemas.Count > 0 && !context.Policy.AllowedSchemas.Contains(schema))
        {
            yield return Diagnostic.Error(path, $"schema {schema} is not allowed by the policy (allowed: {string.Join(", ", context.Policy.AllowedSchemas)})");
        }
    }
}
