using k8s;
using k8s.Exceptions;

namespace AiGatewayModels.Kube;

/// <summary>Where the client connects: a kubeconfig file and context, or nothing (the usual search).</summary>
/// <param name="Kubeconfig">a kubeconfig file (<c>--kubeconfig</c>); null: the search below.</param>
/// <param name="Context">a context of that kubeconfig (<c>--context</c>); null: its current-context.</param>
public sealed record KubeTarget(string? Kubeconfig = null, string? Context = null);

/// <summary>
/// Builds KubernetesClient's configuration, as controller-runtime looks for it: <c>--kubeconfig</c>, else the first file
/// of <c>KUBECONFIG</c>, else the Pod's service account, else <c>~/.kube/config</c>. The package reads the file and runs
/// exec credential plugins (EKS, GKE, AKS), token files and client certificates. The one thing taken back from it is
/// the check of the server's certificate (<see cref="ServerCertificateCheck"/>).
/// </summary>
public static class KubeConfiguration
{
    /// <summary>True in a Pod with a service account: the apiserver's address is in the environment and the token is mounted.</summary>
    public static bool InCluster => KubernetesClientConfiguration.IsInCluster();

    /// <summary>The configuration for <paramref name="target"/>; <see cref="KubeConfigurationException"/> says what is missing or wrong.</summary>
    public static KubernetesClientConfiguration Load(KubeTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (file, why) = Locate(target.Kubeconfig);
        try
        {
            if (file is null)
            {
                if (target.Context is not null)
                {
                    throw new KubeConfigurationException($"--context {target.Context}: no kubeconfig to select it from ({why})");
                }

                return KubernetesClientConfiguration.InClusterConfig();
            }

            if (!File.Exists(file))
            {
                throw new KubeConfigurationException($"kubeconfig {file} ({why}) does not exist");
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, currentContext: target.Context);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException or UriFormatException
                                      or System.Security.Cryptography.CryptographicException or YamlDotNet.Core.YamlException
                                      || e.GetType() == typeof(Exception)) // the package's refusal of the gcp and azure auth-providers
        {
            throw new KubeConfigurationException($"kubeconfig {file ?? "(in-cluster service account)"}: {e.Message}", e);
        }
    }

    /// <summary>The kubeconfig file to read and why, or null for the in-cluster service account.</summary>
    private static (string? File, string Why) Locate(string? explicitPath)
    {
        if (explicitPath is { Length: > 0 })
        {
            return (explicitPath, "--kubeconfig");
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } list)
        {
            // client-go merges every file of the list; the package merges only in its default search, which ignores
            // --context: the first file that exists is read
            var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return (files.FirstOrDefault(File.Exists) ?? files.FirstOrDefault(), "KUBECONFIG");
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return (null, "in a Pod with a service account");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return (Path.Combine(home, ".kube", "config"),
            "no --kubeconfig, no KUBECONFIG and no in-cluster service account, so the default location");
    }
}

/// <summary>No usable connection settings: the message names the file or context and what is wrong.</summary>
public sealed class KubeConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
