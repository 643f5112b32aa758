using AiGatewayModels.Common.Metrics;
using AiGatewayModels.Common.Policy;
using AiGatewayModels.Kube;
using Xunit;

namespace AiGatewayModels.Common.Tests;

/// <summary>The policy watch both programs share: last good wins, and every change of state is counted and told.</summary>
public sealed class PolicyWatchTests : IDisposable
{
    private const string Source = "ConfigMap ai-gateway-models/ai-gateway-models-policy";
    private readonly MetricSet metrics = new("test");
    private readonly PolicyWatch watch;
    private int changes;

    public PolicyWatchTests()
    {
        watch = new PolicyWatch(null, null, PolicyWatch.DefaultName, metrics.Meter, "webhook", NoKubeLog.Instance);
        watch.Changed += () => changes++;
    }

    [Fact]
    public void A_valid_version_is_applied_a_broken_one_keeps_it_and_a_relist_of_the_same_text_changes_nothing()
    {
        Assert.True(watch.Apply("minBackendsPerModel: 3\n", Source + " (resourceVersion 5)"));
        Assert.Equal(3, watch.Current.MinBackendsPerModel);
        var generation = watch.Generation;
        Assert.Null(watch.Problem);
        Assert.Equal(1, changes);

        Assert.False(watch.Apply("minBackendsPerModel: 3\n", Source + " (resourceVersion 6)")); // a relist: nothing new
        Assert.Equal(generation, watch.Generation);
        Assert.Equal(1, changes);

        Assert.False(watch.Apply("minBackendsPerModel: 99\n", Source + " (resourceVersion 7)"));
        Assert.Equal(3, watch.Current.MinBackendsPerModel);
        Assert.Equal(generation, watch.Generation);
        Assert.Contains("(resourceVersion 7) is invalid, keeping " + Source + " (resourceVersion 5)", watch.Problem, StringComparison.Ordinal);
        Assert.Contains("minBackendsPerModel", watch.Problem, StringComparison.Ordinal);
        Assert.Equal(1, changes);
        var s = Samples.Parse(metrics.Render());
        Assert.Equal(0, s["webhook_policy_valid"]);
        Assert.Equal(1, s["webhook_policy_errors_total"]);
        Assert.Equal(1, s["webhook_policy_reloads_total"]);
        Assert.False(watch.Apply("minBackendsPerModel: 99\n", Source + " (resourceVersion 8)")); // the same broken text: counted once
        Assert.Equal(1, Samples.Parse(metrics.Render())["webhook_policy_errors_total"]);

        Assert.True(watch.Apply("minBackendsPerModel: 2\n", Source + " (resourceVersion 9)"));
        Assert.Null(watch.Problem);
        Assert.True(watch.Generation > generation);
        Assert.Equal(1, Samples.Parse(metrics.Render())["webhook_policy_valid"]);
    }

    [Fact]
    public void No_ConfigMap_is_the_default_policy()
    {
        watch.Apply("minBackendsPerModel: 3\n", Source);
        Assert.True(watch.Apply(null, Source));
        Assert.Equal(AiGatewayModels.Engine.Policy.ModelsPolicy.Default.MinBackendsPerModel, watch.Current.MinBackendsPerModel);
        Assert.Equal(Source + " (absent: default policy)", watch.Source);
        Assert.Equal(2, changes);
    }

    public void Dispose() => metrics.Dispose();
}
