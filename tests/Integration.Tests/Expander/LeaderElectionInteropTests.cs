using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Kube;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// Our Lease election (KubernetesClient.Aot has none) and the full KubernetesClient's <see cref="LeaderElector"/> on
/// one Lease: each waits while the other holds it, takes it when the other stops renewing, and ours, stopping
/// gracefully, releases it as client-go does, so that the package's elector takes over at once instead of waiting for
/// the Lease to expire. Both sides use the same timings; at no sample do both lead.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class LeaderElectionInteropTests(ControlPlaneFixture controlPlane, ITestOutputHelper output)
{
    private const string LeaseName = "ai-gateway-models-expander";
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1.5));
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Our_election_and_KubernetesClient_s_LeaderElector_respect_each_other_s_Lease()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-interop");

        // 1. the package's elector leads first
        await using var first = PackageElector.Start(controlPlane, ns, "package-elector-1");
        await Eventually.UntilAsync(() => Task.FromResult(first.Leading), Timeout, "the package's elector leads");

        // 2. ours campaigns: for longer than a Lease duration it waits, because the holder keeps renewing
        await using var ours = RunningExpander.Start(controlPlane, ns, o => o with { LeaderElect = true, Lease = Timings, ReleaseLeaseOnStop = true });
        await NeverBothAsync(ours, first, Timings.LeaseDuration * 1.5);
        Assert.False(ours.Controller.IsLeader, "ours took a Lease that its holder kept renewing");
        Assert.Equal("package-elector-1", await HolderAsync(ns));

        // 3. the package's elector stops renewing (it never releases): ours takes over once the Lease has expired
        await first.StopAsync();
        await Eventually.UntilAsync(() => Task.FromResult(ours.Controller.IsLeader), Timeout, "ours leads after the other's Lease expired");
        Assert.Equal(ours.Controller.Identity, await HolderAsync(ns));

        // 4. a new package elector waits while ours holds the Lease ...
        await using var second = PackageElector.Start(controlPlane, ns, "package-elector-2");
        await NeverBothAsync(ours, second, Timings.LeaseDuration * 1.5);
        Assert.False(second.Leading, "the package's elector took a Lease that ours kept renewing");

        // ... and leads as soon as ours stops gracefully and releases it (holder "", as client-go writes it)
        var released = DateTime.UtcNow;
        await ours.StopAsync();
        await Eventually.UntilAsync(() => Task.FromResult(second.Leading), Timings.LeaseDuration, "the package's elector leads at once after the release");
        output.WriteLine($"the package's elector led {(DateTime.UtcNow - released).TotalSeconds:F1} s after the release (Lease duration {Timings.LeaseDuration.TotalSeconds} s)");
        Assert.Equal("package-elector-2", await HolderAsync(ns));
    }

    private static async Task NeverBothAsync(RunningExpander ours, PackageElector other, TimeSpan window)
    {
        var end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end)
        {
            Assert.False(ours.Controller.IsLeader && other.Leading, "both lead at once");
            await Task.Delay(100);
        }
    }

    private async Task<string?> HolderAsync(string ns) =>
        (await controlPlane.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns)).Spec.HolderIdentity;

    /// <summary>The full KubernetesClient's elector on the expander's Lease, run until stopped.</summary>
    private sealed class PackageElector : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly LeaderElector elector;
        private readonly Task run;
        private volatile bool leading;

        private PackageElector(LeaderElector elector)
        {
            this.elector = elector;
            elector.OnStartedLeading += () => leading = true;
            elector.OnStoppedLeading += () => leading = false;
            run = Task.Run(() => elector.RunAndTryToHoldLeadershipForeverAsync(stop.Token));
        }

        public bool Leading => leading;

        public static PackageElector Start(ControlPlaneFixture controlPlane, string ns, string identity) =>
            new(new LeaderElector(new LeaderElectionConfig(new LeaseLock(controlPlane.Client, ns, LeaseName, identity))
            {
                LeaseDuration = Timings.LeaseDuration,
                RenewDeadline = Timings.RenewDeadline,
                RetryPeriod = Timings.RetryPeriod,
            }));

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                // stopped
            }

            leading = false;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            elector.Dispose();
            stop.Dispose();
        }
    }
}
