using AiGatewayModels.Engine.Rendering;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

public sealed class ApiVersionSelectionTests
{
    [Fact]
    public void Newest_writes_every_kind_in_its_first_version()
    {
        foreach (var kind in ResourceKind.All)
        {
            Assert.Equal(kind.ApiVersion(kind.Versions[0]), ApiVersionSelection.Newest.For(kind));
        }

        Assert.Equal("aigateway.envoyproxy.io/v1beta1", ApiVersionSelection.Newest.For(ResourceKind.AIGatewayRoute));
        Assert.Equal("gateway.networking.k8s.io/v1", ApiVersionSelection.Newest.For(ResourceKind.BackendTLSPolicy));
        Assert.Equal("v1", ApiVersionSelection.Newest.For(ResourceKind.Secret));
    }

    [Fact]
    public void An_older_cluster_gets_the_newest_version_it_serves()
    {
        var selection = ApiVersionSelection.From(["aigateway.envoyproxy.io/v1alpha1", "gateway.networking.k8s.io/v1alpha3", "gateway.networking.k8s.io/v1beta1"], unmentionedAreServed: true);
        Assert.Equal("aigateway.envoyproxy.io/v1alpha1", selection.For(ResourceKind.AIServiceBackend));
        Assert.Equal("aigateway.envoyproxy.io/v1alpha1", selection.For(ResourceKind.AIGatewayRoute));
        Assert.Equal("gateway.networking.k8s.io/v1alpha3", selection.For(ResourceKind.BackendTLSPolicy));
        Assert.Equal("gateway.envoyproxy.io/v1alpha1", selection.For(ResourceKind.Backend));
    }

    [Fact]
    public void A_group_served_in_no_version_we_write_yields_no_version()
    {
        var selection = ApiVersionSelection.From(["kuadrant.io/v1beta3"], unmentionedAreServed: true);
        Assert.Null(selection.For(ResourceKind.RateLimitPolicy));
        Assert.Equal("aigateway.envoyproxy.io/v1beta1", selection.For(ResourceKind.AIGatewayRoute));
    }

    [Fact]
    public void Unmentioned_groups_are_served_for_helm_but_absent_for_discovery()
    {
        var helm = ApiVersionSelection.From(["aigateway.envoyproxy.io/v1beta1"], unmentionedAreServed: true);
        var discovery = ApiVersionSelection.From(["aigateway.envoyproxy.io/v1beta1"], unmentionedAreServed: false);
        Assert.Equal("kuadrant.io/v1", helm.For(ResourceKind.RateLimitPolicy));
        Assert.Null(discovery.For(ResourceKind.RateLimitPolicy));
        Assert.Null(discovery.For(ResourceKind.Backend));
        Assert.Equal("v1", discovery.For(ResourceKind.Secret));
    }

    [Fact]
    public void Kind_qualified_entries_apply_to_that_kind_only()
    {
        // The group is served, but BackendTLSPolicy only in v1alpha3: other kinds of the group are judged by their own entries.
        var selection = ApiVersionSelection.From(["gateway.networking.k8s.io/v1alpha3/BackendTLSPolicy"], unmentionedAreServed: true);
        Assert.Equal("gateway.networking.k8s.io/v1alpha3", selection.For(ResourceKind.BackendTLSPolicy));

        var other = ApiVersionSelection.From(["aigateway.envoyproxy.io/v1alpha1/AIServiceBackend", "aigateway.envoyproxy.io/v1beta1"], unmentionedAreServed: true);
        Assert.Equal("aigateway.envoyproxy.io/v1beta1", other.For(ResourceKind.AIServiceBackend));
        Assert.Equal("aigateway.envoyproxy.io/v1beta1", other.For(ResourceKind.AIGatewayRoute));
    }

    [Fact]
    public void Rendering_leaves_out_kinds_the_cluster_does_not_serve()
    {
        var model = DataDriven.CaseFiles.Evaluate(DataDriven.CaseFiles.Valid, "chart-default-limits").Model!;
        var result = Renderer.Render(model, new RenderOptions(ApiVersionSelection.From(["aigateway.envoyproxy.io/v1beta1", "gateway.envoyproxy.io/v1alpha1", "gateway.networking.k8s.io/v1"], unmentionedAreServed: false)));
        Assert.Equal([ResourceKind.RateLimitPolicy], result.SkippedKinds);
        Assert.DoesNotContain(result.Objects, o => o.Kind == ResourceKind.RateLimitPolicy);
        Assert.Contains(result.Objects, o => o.Kind == ResourceKind.BackendTrafficPolicy);
    }
}
