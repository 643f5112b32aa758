using System.Globalization;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.TestSupport;
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
    public async Task Large_values_are_keyed_by_every_character_whatever_piece_of_the_key_it_falls_in()
    {
        // the key is hashed in pieces of a few thousand characters: a difference past the first piece, or inside a
        // surrogate pair split between two pieces, still makes another key; the same text makes the same key
        using var cache = new EvaluationCache(new WebhookMetrics());
        var evaluations = 0;
        Evaluation Count(ValuesDocument d)
        {
            evaluations++;
            return ValuesEvaluator.Evaluate(d);
        }

        string Long(string tail) => Reviews.GoodValues + "# " + new string('x', 4095 - ((Reviews.GoodValues.Length + 2) % 4096)) + tail + "\n";
        foreach (var tail in (string[])["\U0001F600", "\U0001F601", "a\U0001F600", "\U0001F600"])
        {
            await cache.GetOrEvaluateAsync(Doc with { ValuesYaml = Long(tail) + new string('y', 20_000) }, 1, Count, withValuesHash: false, CancellationToken.None);
        }

        Assert.Equal(3, evaluations);
        await cache.GetOrEvaluateAsync(Doc with { ValuesYaml = Long("\U0001F600") + new string('y', 19_999) + "z" }, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Equal(4, evaluations);
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

    [Fact]
    public async Task Many_distinct_large_invalid_values_stay_within_the_byte_budget_and_keep_only_what_the_denial_lists()
    {
        const long budget = 4L * 1024 * 1024;
        using var cache = new EvaluationCache(new WebhookMetrics(), maxBytes: budget);
        // 10,000 errors of ~2 KiB each: ~40 MiB of findings if they were all kept. Built once and returned for every
        // distinct document: each finding passes the message guard when it is made, and making 3 million took minutes
        var findings = Findings(errors: 10_000, warnings: 0, textLength: 1000);
        for (var i = 0; i < 300; i++)
        {
            var cached = await cache.GetOrEvaluateAsync(Doc with { Name = $"m-{i}" }, 1, _ => findings, withValuesHash: false, CancellationToken.None);
            Assert.InRange(cache.Bytes, 1, budget);
            Assert.Equal(CachedEvaluation.MaxKeptErrors, cached.Diagnostics.Count);
            Assert.Equal(10_000 - CachedEvaluation.MaxKeptErrors, cached.OmittedErrors);
            Assert.InRange(cached.EstimatedBytes, CachedEvaluation.MaxKeptErrors * 2 * 1000, budget / EvaluationCache.LargestEntryShare);
        }

        // each entry is charged ~200 KiB (50 findings of ~4 KiB): the budget holds about twenty, not 256 and not 300
        Assert.InRange(cache.Count, 15, 25);
    }

    [Fact]
    public async Task Warnings_past_the_limit_are_counted_in_one_last_warning_and_invalid_values_keep_no_model()
    {
        using var cache = new EvaluationCache(new WebhookMetrics());
        var good = ValuesEvaluator.Evaluate(Doc);
        Assert.NotNull(good.Model);
        var findings = Findings(errors: 1, warnings: 120, textLength: 10);
        var cached = await cache.GetOrEvaluateAsync(Doc, 1, _ => new Evaluation(findings.Diagnostics, good.Model, null), withValuesHash: false, CancellationToken.None);
        Assert.Null(cached.Model);
        Assert.Null(cached.Footprint);
        Assert.Equal(1, cached.Diagnostics.Count(d => d.IsError));
        Assert.Equal(CachedEvaluation.MaxKeptWarnings + 1, cached.Diagnostics.Count(d => !d.IsError));
        Assert.Equal($"… and {120 - CachedEvaluation.MaxKeptWarnings} more warnings; run the CLI's validate to see them all", cached.Diagnostics[^1].Message);
        Assert.Equal(0, cached.OmittedErrors);
    }

    [Fact]
    public async Task Eviction_by_bytes_takes_the_least_recently_used_first()
    {
        var entry = new CachedEvaluation(Findings(errors: 40, warnings: 0, textLength: 500), withValuesHash: false, valuesChars: 0).EstimatedBytes;
        var budget = (EvaluationCache.LargestEntryShare * entry) + (entry / 2); // eight fit (each is within its share), not nine
        using var cache = new EvaluationCache(new WebhookMetrics(), maxBytes: budget);
        var evaluated = new List<string>();
        Evaluation Record(ValuesDocument d)
        {
            evaluated.Add(d.Name);
            return Findings(errors: 40, warnings: 0, textLength: 500);
        }

        ValuesDocument Named(string name) => Doc with { Name = name };
        var sequence = Enumerable.Range(0, 8).Select(i => $"e{i}").Concat(["e0", "e8", "e0", "e2", "e1", "e3"]);
        foreach (var name in sequence)
        {
            await cache.GetOrEvaluateAsync(Named(name), 1, Record, withValuesHash: false, CancellationToken.None);
            Assert.InRange(cache.Bytes, 0, budget);
        }

        // e0..e7 fill it; e0 is hit; e8 evicts e1 (least recently used), not e0; e0 and e2 hit; e1 comes back and evicts
        // e3 (now the least recently used), which comes back in turn
        Assert.Equal(["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e1", "e3"], evaluated);
        Assert.Equal(8, cache.Count);
        Assert.Equal(8 * entry, cache.Bytes);
    }

    [Fact]
    public async Task An_entry_larger_than_its_share_of_the_budget_is_answered_but_not_kept_and_smaller_ones_still_hit()
    {
        var metrics = new WebhookMetrics();
        using var cache = new EvaluationCache(metrics, maxBytes: 64 * 1024);
        var evaluations = 0;
        Evaluation Count(ValuesDocument d)
        {
            evaluations++;
            return ValuesEvaluator.Evaluate(d);
        }

        // valid values are charged four bytes a character for their model: ~9 KB of values is past 64 KiB / 8
        var large = Doc with { ValuesYaml = Doc.ValuesYaml + "\n" + string.Concat(Enumerable.Repeat("# a comment that makes the values large\n", 220)) };
        var first = await cache.GetOrEvaluateAsync(large, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.NotNull(first.Model);
        Assert.True(first.EstimatedBytes > 64 * 1024 / EvaluationCache.LargestEntryShare, first.EstimatedBytes.ToString(CultureInfo.InvariantCulture));
        await cache.GetOrEvaluateAsync(large, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Equal(2, evaluations);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);

        var small = await cache.GetOrEvaluateAsync(Doc, 1, Count, withValuesHash: false, CancellationToken.None);
        Assert.Same(small, await cache.GetOrEvaluateAsync(Doc, 1, Count, withValuesHash: false, CancellationToken.None));
        Assert.Equal(3, evaluations);
        Assert.Contains("\nwebhook_evaluation_cache_skips_total 2\n", metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denial_counts_every_error_though_the_cache_keeps_only_those_it_lists()
    {
        await using var server = await WebhookServer.StartAsync();
        var models = string.Concat(Enumerable.Range(0, 70).Select(i => $"  m{i}:\n    backends:\n      primary:\n        ref: missing-{i}\n"));
        var cm = Reviews.ConfigMap("models", Reviews.GoodValues.Edit("models:\n", "models:\n" + models));
        var first = await server.PostAsync("/validate", Reviews.Review("CREATE", cm));
        var second = await server.PostAsync("/validate", Reviews.Review("CREATE", cm)); // from the cache
        Assert.False(first.Allowed, first.ToString());
        Assert.Equal(first.Message, second.Message);
        var listed = first.Message.Split('\n').Length - 2; // the heading and the "… and N more" line
        var total = int.Parse(first.Message.Split(": ", 3)[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(total > CachedEvaluation.MaxKeptErrors, first.Message);
        Assert.Equal(CachedEvaluation.MaxKeptErrors, listed);
        Assert.EndsWith($"… and {total - CachedEvaluation.MaxKeptErrors} more errors; run the CLI's validate to see them all", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denial_counts_the_errors_the_engine_did_not_keep()
    {
        // the engine keeps CachedEvaluation.JudgedFindings errors for the webhook and counts the rest
        await using var server = await WebhookServer.StartAsync();
        var values = Reviews.GoodValues.Edit("models:\n", "models:\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"  m{i}:\n    backends:\n      primary:\n        ref: missing-{i}\n")));
        var all = ValuesEvaluator.Evaluate(new ValuesDocument("team-a", "models", values)).Errors.Count();
        Assert.True(all > CachedEvaluation.JudgedFindings, all.ToString(CultureInfo.InvariantCulture));
        var denied = await server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("models", values)));
        Assert.False(denied.Allowed, denied.ToString());
        Assert.Contains($": {all} errors in the models values", denied.Message, StringComparison.Ordinal);
        Assert.EndsWith($"… and {all - CachedEvaluation.MaxKeptErrors} more errors; run the CLI's validate to see them all", denied.Message, StringComparison.Ordinal);
    }

    /// <summary>An evaluation of invalid values with so many findings, each about twice <paramref name="textLength"/> characters.</summary>
    private static Evaluation Findings(int errors, int warnings, int textLength) =>
        new(
            Enumerable.Range(0, errors).Select(i => Diagnostic.Error($"models.m{i}.{new string('p', textLength)}", new string('e', textLength)))
                .Concat(Enumerable.Range(0, warnings).Select(i => Diagnostic.Warning($"models.w{i}", new string('w', textLength))))
                .ToList(),
            null,
            null);

    private static long Counter(string metrics, string name) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
}
