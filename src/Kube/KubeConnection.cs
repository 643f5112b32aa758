using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Kube;

/// <summary>
/// Where the apiserver is and how to authenticate: from a kubeconfig (<c>--kubeconfig</c>, <c>KUBECONFIG</c>) or from the
/// Pod's service account. Supports the credential forms a controller meets (bearer token, token file, client
/// certificate; CA file or data); exec plugins and auth-provider plugins are refused with a clear message.
/// </summary>
public sealed class KubeConnection
{
    private const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static readonly TimeSpan TokenFileRefresh = TimeSpan.FromMinutes(1);

    private readonly string? staticToken;
    private readonly string? tokenFile;
    private readonly X509Certificate2Collection? trustedCas;
    private readonly X509Certificate2? clientCertificate;
    private readonly bool insecureSkipVerify;
    private readonly Lock tokenLock = new();
    private string? cachedToken;
    private DateTime cachedTokenAt;

    private KubeConnection(Uri server, string? token, string? tokenFile, X509Certificate2Collection? cas, X509Certificate2? clientCertificate, bool insecure)
    {
        Server = server;
        staticToken = token;
        this.tokenFile = tokenFile;
        trustedCas = cas;
        this.clientCertificate = clientCertificate;
        insecureSkipVerify = insecure;
    }

    public Uri Server { get; }

    /// <summary>True in a Pod with a service account: the apiserver's address is in the environment and the token is mounted.</summary>
    public static bool IsInCluster =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) &&
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")) &&
        File.Exists(Path.Combine(ServiceAccountDir, "token"));

    /// <summary>The kubeconfig at <paramref name="path"/>, else <c>KUBECONFIG</c>, else the in-cluster service account.</summary>
    public static KubeConnection Resolve(string? path)
    {
        path ??= Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env ? env.Split(Path.PathSeparator)[0] : null;
        if (path is not null)
        {
            return FromKubeconfig(path);
        }

        if (!IsInCluster)
        {
            throw new InvalidOperationException("no kubeconfig (--kubeconfig or KUBECONFIG) and not running in a cluster (no KUBERNETES_SERVICE_HOST or service-account token)");
        }

        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")!;
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")!;

        var hostPart = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(Path.Combine(ServiceAccountDir, "ca.crt"));
        return new KubeConnection(new Uri($"https://{hostPart}:{port}"), null, Path.Combine(ServiceAccountDir, "token"), cas, null, false);
    }

    public static KubeConnection FromKubeconfig(string path)
    {
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var parsed = BoundedYamlReader.Read(File.ReadAllText(path), "the kubeconfig");
        if (!parsed.Ok || parsed.Root is not YMapping root)
        {
            throw new InvalidOperationException($"{path}: not a readable kubeconfig: " + string.Join("; ", parsed.Diagnostics));
        }

        var contextName = Scalar(root, "current-context") ?? throw new InvalidOperationException($"{path}: no current-context");
        var context = Named(root, "contexts", contextName, "context");
        var cluster = Named(root, "clusters", Scalar(context, "cluster") ?? string.Empty, "cluster");
        var userName = Scalar(context, "user");
        var user = userName is null ? null : Named(root, "users", userName, "user");
        if (user?.Get("exec") is not null || user?.Get("auth-provider") is not null)
        {
            throw new InvalidOperationException($"{path}: user {userName} authenticates with an exec or auth-provider plugin, which this program does not run; use a token or a client certificate");
        }

        var server = new Uri(Scalar(cluster, "server") ?? throw new InvalidOperationException($"{path}: cluster has no server"));
        X509Certificate2Collection? cas = null;
        if (Scalar(cluster, "certificate-authority-data") is { } caData)
        {
            cas = [];
            cas.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(caData)));
        }
        else if (Scalar(cluster, "certificate-authority") is { } caFile)
        {
            cas = [];
            cas.ImportFromPemFile(Path.Combine(baseDir, caFile));
        }

        X509Certificate2? clientCert = null;
        var certPem = Pem(user, "client-certificate", baseDir);
        var keyPem = Pem(user, "client-key", baseDir);
        if (certPem is not null && keyPem is not null)
        {
            clientCert = X509Certificate2.CreateFromPem(certPem, keyPem);
        }

        var tokenFile = Scalar(user, "tokenFile") is { } tf ? Path.Combine(baseDir, tf) : null;
        return new KubeConnection(server, Scalar(user, "token"), tokenFile, cas, clientCert, Scalar(cluster, "insecure-skip-tls-verify") == "true");
    }

    /// <summary>A handler with this connection's TLS settings; <paramref name="inner"/> handlers (tests, metrics) wrap it.</summary>
    public HttpMessageHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServer;
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    /// <summary>The bearer token to send, if any; a token file (projected service-account token) is re-read every minute.</summary>
    public string? Token()
    {
        if (tokenFile is null)
        {
            return staticToken;
        }

        lock (tokenLock)
        {
            if (cachedToken is null || DateTime.UtcNow - cachedTokenAt > TokenFileRefresh)
            {
                cachedToken = File.ReadAllText(tokenFile).Trim();
                cachedTokenAt = DateTime.UtcNow;
            }

            return cachedToken;
        }
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (insecureSkipVerify)
        {
            return true;
        }

        if (trustedCas is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // name mismatch or no certificate: a custom CA does not excuse those
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private static string? Pem(YMapping? user, string key, string baseDir) =>
        Scalar(user, key + "-data") is { } data ? Encoding.ASCII.GetString(Convert.FromBase64String(data))
        : Scalar(user, key) is { } file ? File.ReadAllText(Path.Combine(baseDir, file))
        : null;

    private static string? Scalar(YMapping? m, string key) => (m?.Get(key) as YScalar)?.Value;

    private static YMapping Named(YMapping root, string list, string name, string inner)
    {
        if (root.Get(list) is YSequence seq)
        {
            foreach (var item in seq.Items.OfType<YMapping>())
            {
                if (Scalar(item, "name") == name && item.Get(inner) is YMapping m)
                {
                    return m;
                }
            }
        }

        throw new InvalidOperationException($"kubeconfig: no {inner} named {name} in {list}");
    }
}
