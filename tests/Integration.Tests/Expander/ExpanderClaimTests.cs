using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The expander decides every contested claim, whatever the webhook saw (it is not registered here, as when two
/// creates pass its cache at the same moment): 20 pairs of ConfigMaps created at once, half of them generating the same
/// objects and half routing the same model id on one Gateway. Each pair ends with one winner (the older, then by
/// name), whose objects are applied and owned by it, and one loser reported not ready with reason Conflict, whose
/// contested objects are never there; deleting a winner hands its claims to the loser.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderClaimTests(ControlPlaneFixture controlPlane)
{
    private const int Races = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private Kubernetes Cluster => controlPlane.Client;

    [Fact]
    public async Task Simultaneous_creates_each_end_with_one_winner_and_one_reported_loser_and_a_deleted_winner_hands_over()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-claims");
        await Cluster.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "race-key", Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("race-test-key") },
        }, ns);
        await using var expander = RunningExpander.Start(controlPlane, ns, o => o with { MaxRetry = TimeSpan.FromSeconds(2) });

        // both of a pair at once, every pair at once
        var created = await Task.WhenAll(Enumerable.Range(0, Races).SelectMany(i => new[]
        {
            ValuesFixtures.CreateValuesAsync(Cluster, ns, Values(i, "a", sameObjects: i % 2 == 0), $"race-{i}-a"),
            ValuesFixtures.CreateValuesAsync(Cluster, ns, Values(i, "b", sameObjects: i % 2 == 0), $"race-{i}-b"),
        }));
        var pairs = Enumerable.Range(0, Races).Select(i => Order(created[2 * i], created[(2 * i) + 1])).ToList();

        for (var i = 0; i < Races; i++)
        {
            var (winner, loser) = pairs[i];
            await AssertDecidedAsync(expander, ns, winner, loser, sameObjects: i % 2 == 0);
        }

        // the winners of four races go away: their claims go to the losers
        for (var i = 0; i < 4; i++)
        {
            await Cluster.CoreV1.DeleteNamespacedConfigMapAsync(pairs[i].Winner.Metadata.Name, ns);
        }

        for (var i = 0; i < 4; i++)
        {
            var heir = pairs[i].Loser;
            await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns, heir.Metadata.Name))?["ready"]?.GetValue<bool>() == true, Timeout, $"{heir.Metadata.Name} ready after the winner is gone");
            var expected = await ValuesFixtures.ExpectedAsync(expander.Client, heir);
            await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, $"{heir.Metadata.Name}'s objects");
            foreach (var o in expected)
            {
                Assert.Equal(heir.Metadata.Uid, (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default))!.ControllerConfigMapUid());
            }
        }
    }

    private async Task AssertDecidedAsync(RunningExpander expander, string ns, V1ConfigMap winner, V1ConfigMap loser, bool sameObjects)
    {
        var name = loser.Metadata.Name;
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns, winner.Metadata.Name))?["ready"]?.GetValue<bool>() == true, Timeout, $"{winner.Metadata.Name} (the winner) ready");
        await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(Cluster, ns, name))?["reason"]?.GetValue<string>() == EventReasons.Conflict, Timeout, $"{name} (the loser) reports a Conflict");
        var status = (await ValuesFixtures.StatusAsync(Cluster, ns, name))!;
        Assert.False(status["ready"]!.GetValue<bool>());
        var message = status["message"]!.GetValue<string>();
        Assert.Contains($"is claimed by the older ConfigMap {ns}/{winner.Metadata.Name}", message, StringComparison.Ordinal);
        Assert.Contains(sameObjects ? "Conflict: the generated " : "Conflict: modelMatch \"model-", message, StringComparison.Ordinal);
        Assert.NotEmpty(await ValuesFixtures.EventsAsync(Cluster, ns, EventReasons.Conflict, name));

        // the winner's objects are there and its own; the loser's contested objects are not (or are the winner's)
        var expected = await ValuesFixtures.ExpectedAsync(expander.Client, winner);
        await Eventually.UntilAsync(() => ValuesFixtures.AllMatchAsync(expander.Client, expected, ns), Timeout, $"{winner.Metadata.Name}'s objects");
        foreach (var o in expected)
        {
            Assert.Equal(winner.Metadata.Uid, (await expander.Client.GetAsync(ValuesFixtures.RefOf(o, ns), default))!.ControllerConfigMapUid());
        }

        if (!sameObjects)
        {
            var route = (await ValuesFixtures.ExpectedAsync(expander.Client, loser)).Single(o => o.Kind == ResourceKind.AIGatewayRoute);
            await Eventually.UntilAsync(async () => await expander.Client.GetAsync(ValuesFixtures.RefOf(route, ns), default) is null, Timeout, $"{name}'s route withheld");
        }
    }

    /// <summary>(winner, loser): the older creation, then the name (both in one namespace).</summary>
    private static (V1ConfigMap Winner, V1ConfigMap Loser) Order(V1ConfigMap a, V1ConfigMap b)
    {
        var ta = a.Metadata.CreationTimestamp!.Value;
        var tb = b.Metadata.CreationTimestamp!.Value;
        var aFirst = ta != tb ? ta < tb : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name) < 0;
        return aFirst ? (a, b) : (b, a);
    }

    /// <summary>
    /// Race <paramref name="i"/>: with <paramref name="sameObjects"/> both sides render the same objects (and model id);
    /// else only the model id on the Gateway is the same.
    /// </summary>
    private static string Values(int i, string side, bool sameObjects)
    {
        var suffix = sameObjects ? string.Empty : side;
        var n = i.ToString(CultureInfo.InvariantCulture);
        return $$"""
            gatewayRef:
              name: ai-gateway
            backends:
              p{{n}}{{suffix}}:
                resourceName: p{{n}}{{suffix}}
                schema: OpenAI
                fqdn: {hostname: api.openai.com, port: 443}
                apiKeySecretRef: {name: race-key, key: apiKey}
              s{{n}}{{suffix}}:
                resourceName: s{{n}}{{suffix}}
                schema: OpenAI
                fqdn: {hostname: example.openai.azure.com, port: 443}
                apiKeySecretRef: {name: race-key, key: apiKey}
            models:
              m{{n}}{{suffix}}:
                modelMatch: model-{{n}}
                backends:
                  primary: {ref: p{{n}}{{suffix}}}
                  secondary: {ref: s{{n}}{{suffix}}}
            """;
    }
}
