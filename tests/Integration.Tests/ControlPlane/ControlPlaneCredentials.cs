using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// Everything the control plane needs to trust and be trusted, generated in-process and written to the work
/// directory: a CA and the apiserver's serving certificate for 127.0.0.1, the service-account signing key pair,
/// a static token file with one admin token (group system:masters) and the admin kubeconfig.
/// </summary>
public sealed class ControlPlaneCredentials
{
    private ControlPlaneCredentials(string dir, string caPem, string token)
    {
        Dir = dir;
        CaPem = caPem;
        Token = token;
    }

    public string Dir { get; }

    public string CaPem { get; }

    public string Token { get; }

    public string CaFile => Path.Combine(Dir, "ca.crt");

    public string ServingCertFile => Path.Combine(Dir, "apiserver.crt");

    public string ServingKeyFile => Path.Combine(Dir, "apiserver.key");

    public string ServiceAccountPrivateKeyFile => Path.Combine(Dir, "sa.key");

    public string ServiceAccountPublicKeyFile => Path.Combine(Dir, "sa.pub");

    public string TokenFile => Path.Combine(Dir, "tokens.csv");

    public static ControlPlaneCredentials Create(string dir)
    {
        Directory.CreateDirectory(dir);
        using var ca = TestCertificateAuthority.Create("integration-tests-control-plane-ca");
        var serving = ca.IssueLoopbackServingCertificate();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var credentials = new ControlPlaneCredentials(dir, ca.CertificatePem, token);
        File.WriteAllText(credentials.CaFile, ca.CertificatePem);
        File.WriteAllText(credentials.ServingCertFile, serving.CertificatePem);
        File.WriteAllText(credentials.ServingKeyFile, serving.PrivateKeyPem);
        using (var serviceAccountKey = RSA.Create(2048))
        {
            File.WriteAllText(credentials.ServiceAccountPrivateKeyFile, serviceAccountKey.ExportRSAPrivateKeyPem());
            File.WriteAllText(credentials.ServiceAccountPublicKeyFile, serviceAccountKey.ExportSubjectPublicKeyInfoPem());
        }

        // token,user,uid,"group1,group2"
        File.WriteAllText(credentials.TokenFile, $"{token},admin,admin,\"system:masters\"\n");
        return credentials;
    }

    /// <summary>Writes an admin kubeconfig for <paramref name="server"/>, usable by the C# client, kubectl and kube-controller-manager.</summary>
    public void WriteKubeconfig(string path, Uri server) => WriteKubeconfig(path, server, "admin", $"token: {Token}");

    /// <summary>
    /// A kubeconfig that trusts this CA, for one user whose <c>user:</c> mapping is <paramref name="userYaml"/> (lines
    /// without indentation: <c>token: …</c>, or an <c>exec:</c> block). Written here: Debian's kubectl 1.20.2, the one a
    /// fresh machine gets, crashes in <c>kubectl config set-credentials</c>.
    /// </summary>
    public void WriteKubeconfig(string path, Uri server, string user, string userYaml)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(userYaml);
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(CaPem));
        var userBlock = string.Join('\n', userYaml.TrimEnd('\n').Split('\n').Select(l => "    " + l));
        var kubeconfig = string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: {server.AbsoluteUri.TrimEnd('/')}
                certificate-authority-data: {caData}
            users:
            - name: {user}
              user:
            {userBlock}
            contexts:
            - name: local
              context:
                cluster: local
                user: {user}
            current-context: local

            """);
        File.WriteAllText(path, kubeconfig);
    }
}
