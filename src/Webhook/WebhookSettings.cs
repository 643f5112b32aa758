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
    long EvaluationCacheBytes = Admission.EvaluationCache.DefaultMaxBytes,
    long JudgingBytes = Admission.ReviewBudget.DefaultJudgingBytes,
    TimeSpan? ReviewWait = null,
    IReadOnlyList<string>? Namespaces = null)
{
    /// <summary>--review-wait-seconds: how long a review waits for room in the body and judging budgets before a 429.</summary>
    public TimeSpan Wait => ReviewWait ?? Admission.ReviewBudget.DefaultWait;


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
            Bytes("evaluation-cache-bytes", configuration["evaluation-cache-bytes"], Admission.EvaluationCache.DefaultMaxBytes, "32 MiB"),
            Bytes("judging-bytes", configuration["judging-bytes"], Admission.ReviewBudget.DefaultJudgingBytes, "1 MiB"),
            WaitSeconds(configuration["review-wait-seconds"]),
            Common.NamespaceList.Parse(configuration["namespaces"] is { Length: > 0 } n ? n : null));
    }

    /// <summary>
    /// A budget in bytes: --evaluation-cache-bytes (the evaluation cache's; 0 keeps nothing) or --judging-bytes (the
    /// request bytes judged at once; one review is always judged whatever its size). Both count toward the Pod's memory limit.
    /// </summary>
    private static long Bytes(string flag, string? value, long defaultBytes, string defaultShown)
    {
        if (string.IsNullOrEmpty(value))
        {
            return defaultBytes;
        }

        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes <= 1L << 40
            ? bytes
            : throw new ArgumentException($"--{flag} {value}: expected a whole number of bytes between 0 and {1L << 40}, e.g. {defaultBytes} ({defaultShown}, the default)");
    }

    private static TimeSpan? WaitSeconds(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return double.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.1 and <= 60
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"--review-wait-seconds {value}: expected seconds between 0.1 and 60, e.g. {Admission.ReviewBudget.DefaultWait.TotalSeconds} (the default; keep it below the webhook configurations' timeoutSeconds)");
    }
}
