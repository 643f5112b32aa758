using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// backends.*: names, schema and its version, Secret references and prefix. Hostnames and TLS are <see cref="HostnameRules"/>;
/// which credentials fit the schema is <see cref="CredentialTypeRules"/>.
/// </summary>
public static class BackendRules
{
    /// <summary>The schema enum of AIServiceBackend (v1beta1).</summary>
    public static readonly IReadOnlyList<string> Schemas =
        ["OpenAI", "Cohere", "AWSBedrock", "AzureOpenAI", "GCPVertexAI", "GCPAnthropic", "Anthropic", "AWSAnthropic"];

    /// <summary>Schemas whose <c>version</c> AI Gateway v1.1.0 ignores (<c>api/v1beta1/shared_types.go</c>, VersionedAPISchema).</summary>
    public static readonly IReadOnlyList<string> VersionIgnoredSchemas = ["OpenAI", "AWSBedrock", "GCPVertexAI", "Anthropic"];

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

            if (b.Prefix is { } prefix && FreeText.PrefixProblem(prefix) is { } problem)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(b.Path, "prefix"), $"{Shown.Value(prefix)} is not a URL path prefix: it {problem}; write a path such as /v1 or /v1beta/openai"));
            }

            foreach (var (secret, _) in BackendSecrets.Of(b))
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

            if (CheckSchemaVersion(b) is { } versionFinding)
            {
                found.Add(versionFinding);
            }
        }

        return found;
    }

    /// <summary>AIServiceBackend.spec.schema.version: Azure's api-version, the anthropic_version of Anthropic on Vertex AI or Bedrock.</summary>
    private static Diagnostic? CheckSchemaVersion(BackendSpec b)
    {
        var path = FieldPath.Child(b.Path, "schemaVersion");
        if (b.SchemaVersion is not { } version)
        {
            // AI Gateway writes "?api-version=" with nothing after it (translator/openai_azureopenai.go), which Azure refuses.
            return b.Schema == "AzureOpenAI"
                ? Diagnostic.Warning(path, "schema AzureOpenAI has no schemaVersion, so AI Gateway sends an empty api-version, which Azure OpenAI refuses; set it, e.g. schemaVersion: 2025-01-01-preview (or use schema OpenAI with prefix /openai/v1 for Azure's v1 API)")
                : null;
        }

        if (!CloudIdentifiers.IsSchemaVersion(version))
        {
            return Diagnostic.Error(path, $"{Shown.Value(version)} is not a schema version; use letters, digits, '.', '_' and '-' (at most 64), e.g. 2025-01-01-preview: AI Gateway puts it into request URLs and bodies");
        }

        return b.Schema is { } schema && VersionIgnoredSchemas.Contains(schema)
            ? Diagnostic.Warning(path, $"AI Gateway ignores schemaVersion for schema {schema}" + (schema is "OpenAI" or "Anthropic" ? "; to change the request path, set prefix" : string.Empty))
            : null;
    }

    /// <summary>The one finding about a backend's schema, if any.</summary>
    private static Diagnostic? CheckSchema(BackendSpec b, string schema, RuleContext context)
    {
        if (!Schemas.Contains(schema))
        {
            return Diagnostic.Error(FieldPath.Child(b.Path, "schema"), $"unknown schema {Shown.Value(schema)}{DidYouMean.Suggest(schema, Schemas)}; one of {string.Join(", ", Schemas)}");
        }

        if (context.Policy.AllowedSchemas.Count > 0 && !context.Policy.AllowedSchemas.Contains(schema))
        {
            return Diagnostic.Error(FieldPath.Child(b.Path, "schema"), $"schema {schema} is not allowed by the policy (allowed: {string.Join(", ", context.Policy.AllowedSchemas)})");
        }

        return null;
    }
}
