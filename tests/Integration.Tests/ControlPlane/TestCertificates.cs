using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// A throw-away certificate authority for loopback TLS: the apiserver's serving certificate and the admission
/// webhook endpoints that tests start. Keys are ECDSA P-256 (instant to generate, accepted by Go and Kestrel).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 certificate;

    private TestCertificateAuthority(X509Certificate2 certificate) => this.certificate = certificate;

    /// <summary>The CA certificate in PEM: a kubeconfig's certificate-authority-data, a webhook's caBundle.</summary>
    public string CertificatePem => certificate.ExportCertificatePem();

    public static TestCertificateAuthority Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2)));
    }

    /// <summary>A serving certificate for 127.0.0.1 and localhost, signed by this CA, with its private key.</summary>
    public ServingCertificate IssueLoopbackServingCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using var issued = request.Create(certificate, now.AddMinutes(-5), now.AddDays(1), serial);
        return new ServingCertificate(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => certificate.Dispose();
}

/// <summary>A certificate and its key, both PEM: files for Go servers, or an <see cref="X509Certificate2"/> for Kestrel.</summary>
public sealed record ServingCertificate(string CertificatePem, string PrivateKeyPem)
{
    public X509Certificate2 ToX509Certificate2()
    {
        // round-trip through PKCS#12 so that the key is usable by SslStream on every platform
        using var pem = X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
