using System.Globalization;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Webhook.Admission;
using AiGatewayModels.Webhook.Observability;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>The LRU cache of engine evaluations: keyed by namespace, name, values and policy generation, bounded, counted.</summary>
public sealed class EvaluationCacheTests
{
    private static readonly ValuesDocument Doc = new("team-a", "models", Reviews.GoodValues, Uid: "uid-1");

    [Fact]
    public async Task The_same_values_are_evaluated_once_and_anything_in_the_key_changes_that()
    {
        var metrics = new WebhookMetrics();
        using var cache = new EvaluationCache(metrics);
        var evaluations = 0;
        Evaluation Count(ValuesDocument d)
        {
            evaluations++;
            return ValuesEvaluator.Evaluate(d);
        }

        var first = await cache.GetOrEvaluateAsync(Doc, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Same(first, await cache.GetOrEvaluateAsync(Doc with { Uid = "another uid plays no part" }, 1, Count, withValuesHash: false, CancellationToken.None));
        Assert.Equal(1, evaluations);
        await cache.GetOrEvaluateAsync(Doc, 2, Count, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(Doc with { Name = "models-2" }, 1, Count, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(Doc with { Namespace = "team-b" }, 1, Count, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(Doc with { ValuesYaml = Doc.ValuesYaml + "# a comment\n" }, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Equal(5, evaluations);

        // field boundaries count: ("ab", "c") is not ("a", "bc")
        await cache.GetOrEvaluateAsync(new ValuesDocument("ab", "c", "x: 1\n"), 1, Count, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(new ValuesDocument("a", "bc", "x: 1\n"), 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Equal(7, evaluations);

        var text = metrics.Render();
        Assert.Contains("\nwebhook_evaluation_cache_hits_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nwebhook_evaluation_cache_misses_total 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_least_recently_used_entry_is_evicted_at_capacity()
    {
        using var cache = new EvaluationCache(new WebhookMetrics(), capacity: 2);
        var evaluated = new List<string>();
        Evaluation Record(ValuesDocument d)
        {
            evaluated.Add(d.Name);
            return ValuesEvaluator.Evaluate(d);
        }

        ValuesDocument Named(string name) => Doc with { Name = name };
        await cache.GetOrEvaluateAsync(Named("a"), 1, Record, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(Named("b"), 1, Record, withValuesHash: false, CancellationToken.None);
        await cache.GetOrEvaluateAsync(Named("a"), 1, Record, withValuesHash: false, CancellationToken.None); // hit: a is now the most recent
        await cache.GetOrEvaluateAsync(Named("c"), 1, Record, withValuesHash: false, CancellationToken.None); // evicts b
        Assert.Equal(2, cache.Count);
        await cache.GetOrEvaluateAsync(Named("a"), 1, Record, withValuesHash: false, CancellationToken.None); // still there
        await cache.GetOrEvaluateAsync(Named("b"), 1, Record, withValuesHash: false, CancellationToken.None); // evaluated again
        Assert.Equal(["a", "b", "c", "b"], evaluated);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Concurrent_misses_for_the_same_values_are_evaluated_at_most_once_per_core()
    {
        using var cache = new EvaluationCache(new WebhookMetrics());
        var evaluations = 0;
        Evaluation Slow(ValuesDocument d)
        {
            Interlocked.Increment(ref evaluations);
            Thread.Sleep(50); // holds the gate, so that the other requests queue behind it
            return ValuesEvaluator.Evaluate(d);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await cache.GetOrEvaluateAsync(Doc, 1, Slow, withValuesHash: false, CancellationToken.None))));
        Assert.InRange(evaluations, 1, Environment.ProcessorCount);
        Assert.All(results, r => Assert.True(r.Model is not null));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Reviews_of_unchanged_values_hit_the_cache_and_give_the_same_answers()
    {
        await using var server = await WebhookServer.StartAsync();
        var cm = Reviews.ConfigMap("models", Reviews.GoodValues);
        var validate = await server.PostAsync("/validate", Reviews.Review("CREATE", cm));
        var mutate = await server.PostAsync("/mutate", Reviews.Review("CREATE", cm));
        var again = await server.PostAsync("/validate", Reviews.Review("UPDATE", Reviews.ConfigMap("models", Reviews.GoodValues, annotations: new Dictionary<string, string> { ["status"] = "x" }), cm));
        Assert.True(validate.Allowed, validate.ToString());
        Assert.True(mutate.Allowed, mutate.ToString());
        Assert.True(again.Allowed, again.ToString());
        Assert.Equal(validate.Response!["warnings"]?.ToJsonString(), again.Response!["warnings"]?.ToJsonString());

        var bad = Reviews.ConfigMap("models", "gatewayRef: {}\n");
        var first = await server.PostAsync("/validate", Reviews.Review("UPDATE", bad, cm));
        var second = await server.PostAsync("/validate", Reviews.Review("UPDATE", bad, cm));
        Assert.False(first.Allowed);
        Assert.Equal(first.Message, second.Message);

        var metrics = await server.Client.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        Assert.Equal(2, Counter(metrics, "webhook_evaluation_cache_misses_total"));
        // the mutation and the second bad update hit; the update that keeps the values is not judged at all (the ratchet)
        Assert.Equal(2, Counter(metrics, "webhook_evaluation_cache_hits_total"));
    }

    [Fact]
    public async Task A_validation_miss_leaves_the_hash_for_later_and_a_mutation_miss_keeps_it()
    {
        using var cache = new EvaluationCache(new WebhookMetrics());
        static Evaluation Never(ValuesDocument d) => throw new InvalidOperationException("a hit must not evaluate");
        var expected = ValuesEvaluator.Evaluate(Doc).ValuesHash;

        // validated first: nothing hashed yet, so the hash is read from the document it is asked for
        var validated = await cache.GetOrEvaluateAsync(Doc, 1, d => ValuesEvaluator.Evaluate(d), withValuesHash: false, CancellationToken.None);
        var mutated = await cache.GetOrEvaluateAsync(Doc, 1, Never, withValuesHash: true, CancellationToken.None);
        Assert.Same(validated, mutated);
        Assert.Equal(expected, mutated.ValuesHashOf(Doc));

        // mutated first: the hash comes from the evaluation and is kept (text that is not YAML would hash to null)
        var other = Doc with { Name = "models-2" };
        var kept = await cache.GetOrEvaluateAsync(other, 1, d => ValuesEvaluator.Evaluate(d), withValuesHash: true, CancellationToken.None);
        Assert.Equal(expected, kept.ValuesHashOf(other with { ValuesYaml = "not: [yaml" }));

        var broken = await cache.GetOrEvaluateAsync(Doc with { ValuesYaml = "not: [yaml" }, 1, d => ValuesEvaluator.Evaluate(d), withValuesHash: false, CancellationToken.None);
        Assert.Null(broken.ValuesHashOf(Doc with { ValuesYaml = "not: [yaml" }));
    }

    private static long Counter(string metrics, string name) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
}
