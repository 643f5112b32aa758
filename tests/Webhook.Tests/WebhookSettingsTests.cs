using AiGatewayModels.Webhook.Admission;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>--evaluation-cache-bytes, --judging-bytes, --review-wait-seconds, --namespaces: the default, a value, and a clear error for what is not one.</summary>
public sealed class WebhookSettingsTests
{
    [Theory]
    [InlineData(null, EvaluationCache.DefaultMaxBytes)]
    [InlineData("0", 0L)]
    [InlineData("67108864", 64L * 1024 * 1024)]
    public void The_evaluation_cache_budget_is_read(string? value, long expected) =>
        Assert.Equal(expected, Settings(value).EvaluationCacheBytes);

    [Theory]
    [InlineData("-1")]
    [InlineData("32Mi")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999")]
    public void A_budget_that_is_not_a_byte_count_is_refused_with_the_fix(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(value));
        Assert.Contains($"--evaluation-cache-bytes {value}: expected a whole number of bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. 33554432", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ReviewBudget.DefaultJudgingBytes)]
    [InlineData("65536", 64L * 1024)]
    public void The_judging_budget_is_read(string? value, long expected) =>
        Assert.Equal(expected, Settings(null, ("judging-bytes", value)).JudgingBytes);

    [Fact]
    public void A_judging_budget_that_is_not_a_byte_count_is_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(null, ("judging-bytes", "1Mi")));
        Assert.Contains("--judging-bytes 1Mi: expected a whole number of bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. 1048576 (1 MiB, the default)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 3.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("4", 4.0)]
    public void The_review_wait_is_read(string? value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Settings(null, ("review-wait-seconds", value)).Wait);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3s")]
    [InlineData("61")]
    public void A_review_wait_out_of_range_is_refused_with_the_fix(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(null, ("review-wait-seconds", value)));
        Assert.Contains($"--review-wait-seconds {value}: expected seconds between 0.1 and 60", e.Message, StringComparison.Ordinal);
        Assert.Contains("below the webhook configurations' timeoutSeconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_namespaces_of_the_namespaced_install_are_read_and_a_bad_one_is_named()
    {
        Assert.Null(Settings(null).Namespaces);
        Assert.Equal(["team-a", "team-b"], Settings(null, ("namespaces", " team-a,team-b,team-a")).Namespaces);
        var e = Assert.Throws<ArgumentException>(() => Settings(null, ("namespaces", "team-a,Team_B")));
        Assert.Contains("--namespaces team-a,Team_B: \"Team_B\" is not a namespace name", e.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. team-a,team-b", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Settings(null, ("namespaces", "team-a,")));
    }

    private static WebhookSettings Settings(string? cacheBytes, params (string Key, string? Value)[] more)
    {
        var values = new Dictionary<string, string?> { ["tls-cert-file"] = "a", ["tls-key-file"] = "b", ["evaluation-cache-bytes"] = cacheBytes };
        foreach (var (key, value) in more)
        {
            values[key] = value;
        }

        return WebhookSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }
}
