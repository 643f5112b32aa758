using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>Two expander instances on one Lease: one leads, and the other takes over when the leader dies.</summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderLeaderElectionTests(ControlPlaneFixture controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_of_two_instances_leads_and_the_other_takes_over_when_the_leader_dies()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-leader");
        await ValuesFixtures.CreateSourceSecretAsync(controlPlane.Client, ns, "leader-test-key");
        // a killed process does not release its Lease: the survivor must wait for it to expire
        await using var a = RunningExpander.Start(controlPlane, ns, o => o with { ReleaseLeaseOnStop = false });
        await using var b = RunningExpander.Start(controlPlane, ns, o => o with { ReleaseLeaseOnStop = false });

        var bothLed = false;
        await Eventually.UntilAsync(() =>
        {
            bothLed |= a.Controller.IsLeader && b.Controller.IsLeader;
            return Task.FromResult(a.Controller.IsLeader ^ b.Controller.IsLeader);
        }, Timeout, "exactly one instance leads");
        var (leader, follower) = a.Controller.IsLeader ? (a, b) : (b, a);

        var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Values());
        var expected = await ValuesFixtures.ExpectedAsync(leader.Client, cm);
        await Eventually.UntilAsync(async () =>
        {
            bothLed |= a.Controller.IsLeader && b.Controller.IsLeader;
            return await ValuesFixtures.AllMatchAsync(leader.Client, expected, ns);
        }, Timeout, "the leader applies the objects");
        Assert.False(follower.Controller.IsLeader);
        Assert.True(follower.Writes <= 1, $"the follower wrote {follower.Writes} times (at most its losing attempt to create the Lease)");

        var lease = await controlPlane.Client.CoordinationV1.ReadNamespacedLeaseAsync("ai-gateway-models-expander", ns);
        Assert.Equal(leader.Controller.Identity, lease.Spec.HolderIdentity);

        await leader.StopAsync();
        await Eventually.UntilAsync(() => Task.FromResult(follower.Controller.IsLeader), Timeout, "the other instance takes over after the Lease expires");
        lease = await controlPlane.Client.CoordinationV1.ReadNamespacedLeaseAsync("ai-gateway-models-expander", ns);
        Assert.Equal(follower.Controller.Identity, lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);

        var edited = ValuesFixtures.Values(gpt4oWeight: 70, includeMini: false);
        await ValuesFixtures.UpdateValuesAsync(controlPlane.Client, ns, edited);
        cm.Data[AiGatewayModels.Engine.WellKnown.ValuesDataKey] = edited;
        var after = await ValuesFixtures.ExpectedAsync(follower.Client, cm);
        await Eventually.UntilAsync(async () =>
            await ValuesFixtures.AllMatchAsync(follower.Client, after, ns) &&
            await follower.Client.GetAsync(ValuesFixtures.RefOf(ResourceKind.AIGatewayRoute, after.First(o => o.Kind == ResourceKind.AIGatewayRoute).ApiVersion, ns, "gpt-4o-mini"), default) is null,
            Timeout, "the new leader reconciles");
        Assert.False(bothLed, "two instances led at once");
    }
}
