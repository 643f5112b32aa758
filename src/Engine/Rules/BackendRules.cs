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
        var found = new List<Diagnostic>();
        foreach (var b in values.Backends)
        {
            if (b.ResourceName is { } resourceName && !KubernetesNames.IsDnsLabel(resourceName))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "resourceName"), $"{Shown.Value(resourceName)} is not a valid resource name; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"));
            }

            if (b.Schema is { } schema && CheckSchema(b, schema, context) is { } schemaFinding)
            {
                found.Add(schemaFinding);
            }

            if (b.Prefix is { } prefix && (!prefix.StartsWith('/') || HasWhiteSpace(prefix)))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "prefix"), $"{Shown.Value(prefix)} is not a URL path prefix; it must start with '/' and hold no spaces, e.g. /v1"));
            }

            if (b.ApiKeySecretRef is { } secret)
            {
                if (secret.Name is { } n && !KubernetesNames.IsDnsSubdomain(n))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(secret.Path, "name"), $"{Shown.Value(n)} is not a valid Secret name; use lowercase letters, digits, '-' and '.'"));
                }

                if (secret.Key is { } k && !KubernetesNames.IsSecretKey(k))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(secret.Path, "key"), $"{Shown.Value(k)} is not a valid Secret data key; use letters, digits, '-', '_' and '.'"));
                }
            }
        }

        return found;
    }

    private static bool HasWhiteSpace(string s)
    {
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The one finding about a backend's schema, if any.</summary>
    private static Diagnostic? CheckSchema(BackendSpec b, string schema, RuleContext context)
    {
        if (!Schemas.Contains(schema))
        {
            return Diagnostic.Error(FieldPath.Child(b.Path, "schema"), $"unknown schema {Shown.Value(schema)}{DidYouMean.Suggest(schema, Schemas)}; one of {string.Join(", ", Schemas)}");
        }

        if (CloudCredentialSchemas.Contains(schema))
        {
            return Diagnostic.Error(FieldPath.Child(b.Path, "schema"), $"schema {schema} authenticates with cloud credentials (AWS or GCP), which API-key auth (apiKeySecretRef) cannot serve; use an API-key provider (OpenAI, Anthropic, AzureOpenAI, Cohere) for now");
        }

        if (context.Policy.AllowedSchemas.Count > 0 && !context.Policy.AllowedSchemas.Contains(schema))
        {
            return Diagnostic.Error(FieldPath.Child(b.Path, "schema"), $"schema {schema} is not allowed by the policy (allowed: {string.Join(", ", context.Policy.AllowedSchemas)})");
        }

        return null;
    }
}
