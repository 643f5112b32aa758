using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;
using static AiGatewayModels.Engine.Tests.Crd.CrdTestObjects;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>The apiVersion must be a served version of a CRD of the kind; the channel decides what BackendTLSPolicy serves.</summary>
public sealed class VersionTests
{
    [Fact]
    public void BackendTLSPolicy_v1alpha3_is_not_served_in_the_standard_channel()
    {
        var policy = With(BackendTLSPolicy, o => o["apiVersion"] = "gateway.networking.k8s.io/v1alpha3");
        var error = Assert.Single(CrdCatalog.Default.Validate(policy));
        Assert.Equal(
            "apiVersion: gateway.networking.k8s.io/v1alpha3 is not served for kind BackendTLSPolicy by the standard-channel CRD backendtlspolicies.gateway.networking.k8s.io (served versions: v1)",
            error);
    }

    [Fact]
    public void BackendTLSPolicy_v1alpha3_is_served_and_validated_in_the_experimental_channel()
    {
        var policy = With(BackendTLSPolicy, o => o["apiVersion"] = "gateway.networking.k8s.io/v1alpha3");
        Assert.Empty(CrdCatalog.Experimental.Validate(policy));
        Assert.Equal(["v1", "v1alpha3"], CrdCatalog.Experimental.ServedVersions("gateway.networking.k8s.io", "BackendTLSPolicy").Order(StringComparer.Ordinal));

        policy.Delete("spec.validation.wellKnownCACertificates");
        Assert.Contains(CrdCatalog.Experimental.Validate(policy), e => e.StartsWith("spec.validation: must specify either CACertificateRefs", StringComparison.Ordinal));
    }

    [Fact]
    public void Loading_is_cached_per_directory_and_channel()
    {
        Assert.Same(CrdCatalog.Default, CrdCatalog.Load(RepoPaths.CrdsDir));
        Assert.Same(CrdCatalog.Experimental, CrdCatalog.Load(RepoPaths.CrdsDir, experimentalChannel: true));
        Assert.NotSame(CrdCatalog.Default, CrdCatalog.Experimental);
    }

    [Theory]
    [InlineData("aigateway.envoyproxy.io/v1alpha2", AIGatewayRoute, "apiVersion: aigateway.envoyproxy.io/v1alpha2 is not a version of AIGatewayRoute (served versions: v1alpha1, v1beta1)")]
    [InlineData("gateway.envoyproxy.io/v1", Backend, "apiVersion: gateway.envoyproxy.io/v1 is not a version of Backend (served versions: v1alpha1)")]
    [InlineData("kuadrant.io/v1beta3", RateLimitPolicy, "apiVersion: kuadrant.io/v1beta3 is not a version of RateLimitPolicy (served versions: v1)")]
    [InlineData("aigateway.envoyproxy.io/v1beta1", "MCPRoute", "kind: no CRD in the catalog for kind MCPRoute in group aigateway.envoyproxy.io")]
    [InlineData("example.com/v1", "Widget", "apiVersion: no CRD in the catalog for group example.com")]
    [InlineData("v1", "Pod", "kind: no definition for v1 Pod")]
    public void An_unknown_version_or_kind_is_an_error(string apiVersion, string kind, string expected)
    {
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "a" } };
        Assert.StartsWith(expected, Assert.Single(CrdCatalog.Default.Validate(obj)), StringComparison.Ordinal);
    }

    [Fact]
    public void ApiVersion_and_kind_are_required()
    {
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a" } };
        Assert.Equal(["apiVersion: Required value", "kind: Required value"], CrdCatalog.Default.Validate(obj));
    }

    [Fact]
    public void Covers_tells_which_kinds_the_catalog_checks()
    {
        Assert.True(CrdCatalog.Default.Covers(Valid(AIGatewayRoute)));
        Assert.True(CrdCatalog.Default.Covers(Valid(Secret)));
        Assert.True(CrdCatalog.Default.Covers("gateway.networking.k8s.io/v1alpha3", "BackendTLSPolicy"));
        Assert.True(CrdCatalog.Default.Covers("cert-manager.io/v1", "Certificate"));
        Assert.False(CrdCatalog.Default.Covers("apps/v1", "Deployment"));
        Assert.False(CrdCatalog.Default.Covers("gateway.envoyproxy.io/v1alpha1", "EnvoyProxy"));
    }
}
