using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Binds a backend's credentials: <c>apiKeySecretRef</c> and the cloud blocks, keyed as BackendSecurityPolicy v1beta1
/// keys them (so that AI Gateway's documentation reads the same), with every Secret reference a <c>{name, key}</c>.
/// Shape and types only; <see cref="Rules.CredentialTypeRules"/> and <see cref="Rules.CloudCredentialRules"/> judge them.
/// </summary>
internal static class CredentialsBinder
{
    private const string OidcExample = "oidc: {provider: {issuer: https://<issuer>}, clientID: <id>, clientSecret: {name: <secret>}}";

    /// <summary>A Secret reference; a scalar in its place is most likely the secret itself, so it is neither bound nor shown.</summary>
    public static SecretRefSpec? SecretRef(MappingReader parent, string key, bool keyRequired, DiagnosticBag bag)
    {
        if (parent.Node(key) is YScalar s && !ScalarTyping.IsNull(s))
        {
            bag.Error(parent.ChildPath(key), $"expected a reference to a Secret, {{name: <secret>, key: <data key>}}, got {s.KindName} (withheld): a Secret's content never belongs in values");
            return null;
        }

        var r = parent.OpenChild(key, keyRequired ? ValuesKeys.ApiKeySecretRef : ValuesKeys.SecretRef);
        return r is null ? null : new SecretRefSpec(r.Path, r.String("name", required: true), r.String("key", required: keyRequired));
    }

    public static AwsCredentialsSpec? Aws(MappingReader backend, DiagnosticBag bag)
    {
        if (backend.OpenChild("awsCredentials", ValuesKeys.Aws) is not { } r)
        {
            return null;
        }

        var file = r.OpenChild("credentialsFile", ValuesKeys.AwsCredentialsFile);
        var exchange = r.OpenChild("oidcExchangeToken", ValuesKeys.AwsOidcExchange);
        return new AwsCredentialsSpec(
            r.Path,
            r.String("region", required: true),
            file is null ? null : new CredentialsFileSpec(file.Path, RequiredSecretRef(file, "secretRef", bag), file.String("profile")),
            exchange is null ? null : Exchange(exchange, exchange.String("awsRoleArn", required: true), bag));
    }

    public static AzureCredentialsSpec? Azure(MappingReader backend, DiagnosticBag bag)
    {
        if (backend.OpenChild("azureCredentials", ValuesKeys.Azure) is not { } r)
        {
            return null;
        }

        var exchange = r.OpenChild("oidcExchangeToken", ValuesKeys.OidcExchange);
        return new AzureCredentialsSpec(
            r.Path,
            r.String("clientID", required: true),
            r.String("tenantID", required: true),
            SecretRef(r, "clientSecretRef", keyRequired: false, bag),
            exchange is null ? null : Exchange(exchange, null, bag));
    }

    public static GcpCredentialsSpec? Gcp(MappingReader backend, DiagnosticBag bag)
    {
        if (backend.OpenChild("gcpCredentials", ValuesKeys.Gcp) is not { } r)
        {
            return null;
        }

        var file = r.OpenChild("credentialsFile", ValuesKeys.GcpCredentialsFile);
        var wif = r.OpenChild("workloadIdentityFederationConfig", ValuesKeys.WorkloadIdentity);
        return new GcpCredentialsSpec(
            r.Path,
            r.String("projectName", required: true),
            r.String("region", required: true),
            file is null ? null : new CredentialsFileSpec(file.Path, RequiredSecretRef(file, "secretRef", bag), null),
            wif is null ? null : WorkloadIdentity(wif, bag));
    }

    private static GcpWorkloadIdentitySpec WorkloadIdentity(MappingReader r, DiagnosticBag bag)
    {
        var exchange = Required(r, "oidcExchangeToken", ValuesKeys.OidcExchange, "oidcExchangeToken: {" + OidcExample + "}", bag);
        return new GcpWorkloadIdentitySpec(
            r.Path,
            r.String("projectID", required: true),
            r.String("workloadIdentityPoolName", required: true),
            r.String("workloadIdentityProviderName", required: true),
            r.OpenChild("serviceAccountImpersonation", ValuesKeys.Impersonation)?.String("serviceAccountName", required: true),
            exchange is null ? null : Exchange(exchange, null, bag));
    }

    private static OidcExchangeSpec Exchange(MappingReader r, string? awsRoleArn, DiagnosticBag bag)
    {
        var oidc = Required(r, "oidc", ValuesKeys.Oidc, OidcExample, bag);
        OidcSpec? bound = null;
        if (oidc is not null)
        {
            var provider = Required(oidc, "provider", ValuesKeys.OidcProvider, "provider: {issuer: https://<issuer>}", bag);
            bound = new OidcSpec(
                oidc.Path,
                provider?.String("issuer", required: true),
                provider?.String("tokenEndpoint"),
                oidc.String("clientID", required: true),
                RequiredSecretRef(oidc, "clientSecret", bag),
                oidc.StringList("scopes"));
        }

        return new OidcExchangeSpec(r.Path, bound, r.String("aud"), awsRoleArn);
    }

    private static SecretRefSpec? RequiredSecretRef(MappingReader parent, string key, DiagnosticBag bag)
    {
        // An explicit null is reported by the reader, as null, with what to write.
        if (parent.Node(key) is null)
        {
            bag.Error(parent.ChildPath(key), $"required field {key} is missing; reference the Secret: {key}: {{name: <secret>, key: <data key>}}");
            return null;
        }

        return SecretRef(parent, key, keyRequired: false, bag);
    }

    private static MappingReader? Required(MappingReader parent, string key, KeyTable known, string example, DiagnosticBag bag)
    {
        var r = parent.OpenChild(key, known);
        if (r is null && parent.Node(key) is null) // an explicit null is reported by OpenChild
        {
            bag.Error(parent.ChildPath(key), $"required field {key} is missing; for example {example}");
        }

        return r;
    }
}
