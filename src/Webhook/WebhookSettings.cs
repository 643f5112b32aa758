using Microsoft.Extensions.Configuration;

namespace AiGatewayModels.Webhook;

/// <summary>The command line (ASP.NET's configuration: <c>--key value</c> or <c>--key=value</c>) and environment.</summary>
public sealed record WebhookSettings(
    string TlsCertFile,
    string TlsKeyFile,
    string? Namespace,
    string PolicyConfigMap,
    string ExpanderUsername,
    bool ClusterDisabled,
    string? Kubeconfig,
    string? Context = null)
{
    public const string DefaultPolicyConfigMap = Common.Policy.PolicyWatch.DefaultName;
    public const string DefaultExpanderUsername = "system:serviceaccount:ai-gateway-models:expander";

    public static WebhookSettings From(IConfiguration configuration)
    {
        var cert = configuration["tls-cert-file"];
        var key = configuration["tls-key-file"];
        if (string.IsNullOrEmpty(cert) || string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("--tls-cert-file and --tls-key-file are required (PEM files): the webhook serves HTTPS only");
        }

        var ns = configuration["namespace"];
        if (string.IsNullOrEmpty(ns))
        {
            ns = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        }

        return new WebhookSettings(
            cert,
            key,
            string.IsNullOrEmpty(ns) ? null : ns,
            configuration["policy-configmap"] is { Length: > 0 } p ? p : DefaultPolicyConfigMap,
            configuration["expander-username"] is { Length: > 0 } u ? u : DefaultExpanderUsername,
            string.Equals(configuration["no-cluster"], "true", StringComparison.OrdinalIgnoreCase),
            configuration["kubeconfig"] is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } e ? e.Split(Path.PathSeparator)[0] : null,
            configuration["context"] is { Length: > 0 } c ? c : null);
    }
}
