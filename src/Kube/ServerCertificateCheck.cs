using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AiGatewayModels.Kube;

/// <summary>
/// The check of the apiserver's certificate against the kubeconfig's (or the service account's) CA. KubernetesClient
/// 21.0.8 checks the chain against that CA but not the host name when the chain is not trusted system-wide, which is
/// the usual case (<c>Kubernetes.CertificateValidationCallBack</c> returns the custom chain's verdict whatever else
/// failed): a certificate the CA issued to any name would be accepted. Here, as in client-go, the CA replaces the system
/// trust store (a certificate must chain to it) and every other error (a name mismatch above all) fails the check.
/// </summary>
public sealed class ServerCertificateCheck(X509Certificate2Collection trustedCas)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // no certificate, or a name mismatch: a custom CA excuses neither
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
