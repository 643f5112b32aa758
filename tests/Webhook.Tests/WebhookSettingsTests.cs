using AiGatewayModels.Webhook.Admission;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>--evaluation-cache-bytes: the default, a value, and a clear error for what is not a byte count.</summary>
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

    private static WebhookSettings Settings(string? cacheBytes)
    {
        var values = new Dictionary<string, string?> { ["tls-cert-file"] = "a", ["tls-key-file"] = "b", ["evaluation-cache-bytes"] = cacheBytes };
        return WebhookSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }
}
