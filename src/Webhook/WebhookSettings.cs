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
    string? Context = null,
    long EvaluationCacheBytes = Admission.EvaluationCache.DefaultMaxBytes)
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
            configuration["context"] is { Length: > 0 } c ? c : null,
            CacheBytes(configuration["evaluation-cache-bytes"]));
    }

    /// <summary>--evaluation-cache-bytes: the evaluation cache's budget in bytes (0 keeps nothing); counts toward the Pod's memory limit.</summary>
    private static long CacheBytes(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Admission.EvaluationCache.DefaultMaxBytes;
        }

        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes <= 1L << 40
            ? bytes
            : throw new ArgumentException($"--evaluation-cache-bytes {value}: expected a whole number of bytes between 0 and {1L << 40}, e.g. {Admission.EvaluationCache.DefaultMaxBytes} (32 MiB, the default)");
    }
}
