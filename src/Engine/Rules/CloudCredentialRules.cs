using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// backends.*.awsCredentials, azureCredentials and gcpCredentials: the CRD's "exactly one of" / "at most one of" rules as
/// field errors, the shapes of regions, projects, IDs, ARNs, audiences and OIDC endpoints, and a warning when a
/// backend's host names another region than its credentials.
/// </summary>
public static class CloudCredentialRules
{
    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        foreach (var b in values.Backends)
        {
            if (b.AwsCredentials is { } aws)
            {
                CheckAws(b, aws, context, found);
            }

            if (b.AzureCredentials is { } azure)
            {
                CheckAzure(azure, context, found);
            }

            if (b.GcpCredentials is { } gcp)
            {
                CheckGcp(b, gcp, context, found);
            }
        }

        return found;
    }

    private static void CheckAws(BackendSpec b, AwsCredentialsSpec aws, RuleContext context, List<Diagnostic> found)
    {
        if (aws.Region is { } region)
        {
            if (!CloudIdentifiers.IsAwsRegion(region))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(aws.Path, "region"), $"{Shown.Value(region)} is not an AWS region; use one such as us-east-1 or eu-central-1"));
            }
            else if (b.Hostname is { } host && CloudEndpoints.BedrockRegion(host) is { } hostRegion && hostRegion != region)
            {
                found.Add(Diagnostic.Warning(HostnameRules.HostPath(b), $"{Shown.Value(host)} is the Bedrock endpoint of {hostRegion}, but awsCredentials.region is {region}, and AI Gateway signs requests for {region}; use {CloudEndpoints.BedrockHost(region)}, or region {hostRegion}"));
            }
        }

        if (aws.CredentialsFile is { } file && file.Profile is { } profile && !CloudIdentifiers.IsAwsProfile(profile))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(file.Path, "profile"), $"{Shown.Value(profile)} is not an AWS profile name; use letters, digits and _.+=,@- (the default is default)"));
        }

        if (aws.CredentialsFile is not null && aws.OidcExchangeToken is { } both)
        {
            // The CRD lets both through; AI Gateway then signs with the file and rotates the exchange's credentials for nothing.
            found.Add(Diagnostic.Error(both.Path, "credentialsFile and oidcExchangeToken are both set; give at most one (neither: the default credential chain)"));
        }

        if (aws.OidcExchangeToken is { } exchange)
        {
            if (exchange.AwsRoleArn is { } arn && !CloudIdentifiers.IsAwsRoleArn(arn))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(exchange.Path, "awsRoleArn"), $"{Shown.Value(arn)} is not an IAM role ARN; use arn:aws:iam::<12-digit account>:role/<name>"));
            }

            CheckExchange(exchange, context, found);
        }
    }

    private static void CheckAzure(AzureCredentialsSpec azure, RuleContext context, List<Diagnostic> found)
    {
        if (azure.ClientID is { } clientId && !CloudIdentifiers.IsGuid(clientId))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(azure.Path, "clientID"), $"{Shown.Value(clientId)} is not a Microsoft Entra client ID; use the application's GUID, e.g. 00000000-0000-0000-0000-000000000000"));
        }

        if (azure.TenantID is { } tenant && !CloudIdentifiers.IsAzureTenant(tenant))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(azure.Path, "tenantID"), $"{Shown.Value(tenant)} is not a Microsoft Entra tenant; use the tenant's GUID or one of its domains, e.g. contoso.onmicrosoft.com"));
        }

        // The CRD's CEL rule: exactly one of clientSecretRef or oidcExchangeToken.
        switch (azure.ClientSecretRef, azure.OidcExchangeToken)
        {
            case (null, null):
                found.Add(Diagnostic.Error(azure.Path, "give exactly one of clientSecretRef {name, key} and oidcExchangeToken {oidc: …}: AI Gateway needs one of them to obtain an Azure token"));
                break;
            case ({ }, { } exchange):
                found.Add(Diagnostic.Error(exchange.Path, "clientSecretRef and oidcExchangeToken are both set; give exactly one"));
                break;
        }

        if (azure.OidcExchangeToken is { } oidc)
        {
            CheckExchange(oidc, context, found);
        }
    }

    private static void CheckGcp(BackendSpec b, GcpCredentialsSpec gcp, RuleContext context, List<Diagnostic> found)
    {
        if (gcp.ProjectName is { } project && !CloudIdentifiers.IsGcpProject(project))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(gcp.Path, "projectName"), $"{Shown.Value(project)} is not a GCP project ID; use 6 to 30 lowercase letters, digits and '-', starting with a letter (or the project number)"));
        }

        if (gcp.Region is { } region)
        {
            if (!CloudIdentifiers.IsGcpRegion(region))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(gcp.Path, "region"), $"{Shown.Value(region)} is not a Vertex AI location; use a region such as us-central1 or europe-west4, or global"));
            }
            else if (b.Hostname is { } host && CloudEndpoints.VertexRegion(host) is { } hostRegion && hostRegion != region)
            {
                found.Add(Diagnostic.Warning(HostnameRules.HostPath(b), $"{Shown.Value(host)} is the Vertex AI endpoint of {hostRegion}, but gcpCredentials.region is {region}, which AI Gateway puts into the request path; use {CloudEndpoints.VertexHost(region)}, or region {hostRegion}"));
            }
        }

        if (gcp.CredentialsFile is not null && gcp.WorkloadIdentityFederationConfig is { } both)
        {
            // The CRD's CEL rule: at most one of credentialsFile or workloadIdentityFederationConfig.
            found.Add(Diagnostic.Error(both.Path, "credentialsFile and workloadIdentityFederationConfig are both set; give at most one (neither: application default credentials)"));
        }

        if (gcp.WorkloadIdentityFederationConfig is not { } wif)
        {
            return;
        }

        if (wif.ProjectID is { } projectId && !CloudIdentifiers.IsGcpProject(projectId))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(wif.Path, "projectID"), $"{Shown.Value(projectId)} is not a GCP project number; use the number of the project that holds the workload identity pool"));
        }
        else if (wif.ProjectID is { } id && !CloudIdentifiers.IsNumber(id))
        {
            found.Add(Diagnostic.Warning(FieldPath.Child(wif.Path, "projectID"), $"{Shown.Value(id)} looks like a project ID, but the audience AI Gateway sends to Google's STS (//iam.googleapis.com/projects/<project>/locations/global/workloadIdentityPools/…) needs the project number"));
        }

        foreach (var (key, value) in (ReadOnlySpan<(string, string?)>)[("workloadIdentityPoolName", wif.WorkloadIdentityPoolName), ("workloadIdentityProviderName", wif.WorkloadIdentityProviderName)])
        {
            if (value is { } v && !CloudIdentifiers.IsGcpWorkloadIdentityId(v))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(wif.Path, key), $"{Shown.Value(v)} is not a workload identity ID; use 4 to 32 lowercase letters, digits and '-', not starting with gcp- (the ID, not the full resource name)"));
            }
        }

        if (wif.ServiceAccountName is { } account && !CloudIdentifiers.IsGcpServiceAccountId(account))
        {
            var hint = account.Contains('@', StringComparison.Ordinal) ? "give only the part before '@': AI Gateway appends @<projectName>.iam.gserviceaccount.com" : "use 6 to 30 lowercase letters, digits and '-', starting with a letter";
            found.Add(Diagnostic.Error(FieldPath.Child(FieldPath.Child(wif.Path, "serviceAccountImpersonation"), "serviceAccountName"), $"{Shown.Value(account)} is not a service account ID; {hint}"));
        }

        if (wif.OidcExchangeToken is { } exchange)
        {
            CheckExchange(exchange, context, found);
        }
    }

    /// <summary>
    /// The token exchange: AI Gateway's controller fetches the issuer's discovery document and its token endpoint itself,
    /// so both are held to the hostname rules (no cluster-internal, loopback or metadata endpoints) and must be https.
    /// </summary>
    private static void CheckExchange(OidcExchangeSpec exchange, RuleContext context, List<Diagnostic> found)
    {
        if (exchange.Aud is { } aud && !CloudIdentifiers.IsOAuthToken(aud))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(exchange.Path, "aud"), $"{Shown.Value(aud)} is not an audience; use 1 to 256 visible characters without spaces, e.g. sts.amazonaws.com"));
        }

        if (exchange.Oidc is not { } oidc)
        {
            return;
        }

        var provider = FieldPath.Child(oidc.Path, "provider");
        if (oidc.Issuer is { } issuer)
        {
            CheckEndpoint(FieldPath.Child(provider, "issuer"), issuer, context, found);
        }

        if (oidc.TokenEndpoint is { } tokenEndpoint)
        {
            CheckEndpoint(FieldPath.Child(provider, "tokenEndpoint"), tokenEndpoint, context, found);
        }

        if (oidc.ClientID is { } clientId && !CloudIdentifiers.IsOAuthToken(clientId))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(oidc.Path, "clientID"), $"{Shown.Value(clientId)} is not an OAuth client ID; use 1 to 256 visible characters without spaces"));
        }

        for (var i = 0; i < (oidc.Scopes?.Count ?? 0); i++)
        {
            if (!CloudIdentifiers.IsOAuthToken(oidc.Scopes![i]))
            {
                found.Add(Diagnostic.Error(FieldPath.Index(FieldPath.Child(oidc.Path, "scopes"), i), $"{Shown.Value(oidc.Scopes[i])} is not an OAuth scope; use 1 to 256 visible characters without spaces, one scope per item"));
            }
        }
    }

    private static void CheckEndpoint(string path, string url, RuleContext context, List<Diagnostic> found)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            uri.Query.Length > 0 || uri.Fragment.Length > 0 || !url.StartsWith("https://", StringComparison.Ordinal) || url.Any(char.IsWhiteSpace))
        {
            found.Add(Diagnostic.Error(path, $"{Shown.Value(url)} is not an https URL without query or fragment; use one such as https://login.example.com/realms/ai"));
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            found.Add(Diagnostic.Error(path, "the URL holds a user name or password (withheld); give it without, e.g. https://login.example.com/realms/ai, and the client secret in clientSecret"));
            return;
        }

        if (HostnameRules.CheckHost(path, uri.IdnHost.Trim('[', ']'), context.Policy, backend: null) is { } host)
        {
            found.Add(host);
        }
    }
}
