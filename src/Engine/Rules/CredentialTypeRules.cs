using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// backends.*: which credentials a backend holds. Exactly one block, the one its schema authenticates with (the CRD's
/// "When type is X, only x field should be set" rules, as field errors), and the policy's say on credential types,
/// keyless identity and the gateway's own cloud identity. The blocks' contents are <see cref="CloudCredentialRules"/>.
/// </summary>
public static class CredentialTypeRules
{
    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        foreach (var b in values.Backends)
        {
            var accepted = b.Schema is { } schema ? CredentialTypes.Accepted(schema) : null;
            var blocks = BackendSecrets.Blocks(b).ToList();
            if (blocks.Count == 0)
            {
                if (b.Bound)
                {
                    found.Add(Missing(b, accepted));
                }

                continue;
            }

            (CredentialBlock Block, string Path)? chosen = null;
            foreach (var (block, path) in blocks)
            {
                if (accepted is not null && !accepted.Contains(block))
                {
                    found.Add(Diagnostic.Error(path, $"schema {b.Schema} does not authenticate with {CredentialTypes.Describe(block)}; {Needs(b.Schema!, accepted)}"));
                }
                else if (chosen is { } first)
                {
                    found.Add(Diagnostic.Error(path, $"{CredentialTypes.ValuesKey(block)} and {CredentialTypes.ValuesKey(first.Block)} are both set, but a BackendSecurityPolicy holds exactly one credential type; keep one"));
                }
                else
                {
                    chosen = (block, path);
                }
            }

            if (chosen is { } c && accepted is not null && CheckPolicy(b, c.Block, c.Path, context) is { } denied)
            {
                found.Add(denied);
            }
        }

        return found;
    }

    private static Diagnostic Missing(BackendSpec b, IReadOnlyList<CredentialBlock>? accepted)
    {
        if (accepted is null || accepted[0] == CredentialBlock.ApiKey)
        {
            var or = accepted is { Count: > 1 } ? $" (or {CredentialTypes.Example(accepted[1])})" : string.Empty;
            return Diagnostic.Error(
                FieldPath.Child(b.Path, "apiKeySecretRef"),
                $"required field apiKeySecretRef is missing; reference the Secret that holds the API key: {CredentialTypes.Example(CredentialBlock.ApiKey)}{or}");
        }

        var key = CredentialTypes.ValuesKey(accepted[0]);
        return Diagnostic.Error(FieldPath.Child(b.Path, key), $"required field {key} is missing; {Needs(b.Schema!, accepted)}");
    }

    private static string Needs(string schema, IReadOnlyList<CredentialBlock> accepted) =>
        $"schema {schema} authenticates with " + string.Join(" or ", accepted.Select(a => $"{CredentialTypes.Describe(a)} ({CredentialTypes.Example(a)})"));

    private static Diagnostic? CheckPolicy(BackendSpec b, CredentialBlock block, string path, RuleContext context)
    {
        var policy = context.Policy;
        var type = CredentialTypes.TypeOf(block, b.Schema);
        if (policy.DeniedCredentialTypes.Contains(type) || (policy.AllowedCredentialTypes.Count > 0 && !policy.AllowedCredentialTypes.Contains(type)))
        {
            var allowed = CredentialTypes.All.Where(t => !policy.DeniedCredentialTypes.Contains(t) && (policy.AllowedCredentialTypes.Count == 0 || policy.AllowedCredentialTypes.Contains(t)));
            return Diagnostic.Error(path, $"credential type {type} is not allowed by the policy (allowed: {Listed(allowed)}); ask the platform team, or authenticate another way");
        }

        if (policy.RequireKeylessCredentials && BackendSecrets.Of(b).Select(s => s.Ref).FirstOrDefault() is { } secret)
        {
            var keyless = block switch
            {
                CredentialBlock.Aws => "awsCredentials with region only (the default chain: IRSA or EKS Pod Identity)",
                CredentialBlock.Gcp => "gcpCredentials with projectName and region only (application default credentials: GKE workload identity)",
                _ => $"an AWS or GCP backend with its default credentials: AI Gateway has no keyless form of {type}",
            };
            return Diagnostic.Error(secret.Path, $"the policy requires keyless credentials, and this names a Secret; use {keyless}");
        }

        if (BackendSecrets.UsesGatewayIdentity(b) && NamePattern.FirstMatch(policy.GatewayIdentityNamespaces, context.Namespace) is null)
        {
            var what = block == CredentialBlock.Aws
                ? "the default credential chain, i.e. the gateway's own AWS identity (IRSA or EKS Pod Identity of the Envoy pods)"
                : "application default credentials, i.e. the gateway's own GCP identity (GKE workload identity of the Envoy pods)";
            var alternatives = block == CredentialBlock.Aws ? "credentialsFile or oidcExchangeToken" : "credentialsFile or workloadIdentityFederationConfig";
            return Diagnostic.Error(path, $"with neither {alternatives} this uses {what}, which the policy grants to no values in namespace {context.Namespace}; ask the platform team to list it in credentials.gatewayIdentityNamespaces, or give {alternatives}");
        }

        return null;
    }

    private static string Listed(IEnumerable<string> items)
    {
        var list = string.Join(", ", items);
        return list.Length == 0 ? "none" : list;
    }
}
