using AiGatewayModels.Webhook.Admission;
using AiGatewayModels.Webhook.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>
/// The webhook's memory bounds on the real server: a review is judged only with room in the judging budget, waits for
/// it while holding its body, and when no room comes within the wait is answered 429 (never an allow, never a 500).
/// </summary>
public sealed class ReviewBudgetTests
{
    private static string ValidReview => Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues)).ToJsonString();

    [Fact]
    public async Task A_review_waits_holding_its_body_until_the_judging_budget_has_room_then_is_judged()
    {
        await using var server = await WebhookServer.StartAsync("--no-cluster", "true", "--review-wait-seconds", "60");
        var budget = server.Services.GetRequiredService<ReviewBudget>();
        var bodies = budget.Bodies.Available;
        var held = await budget.Judging.TakeAsync(long.MaxValue, CancellationToken.None); // all of it
        var answer = server.PostAsync("/validate", ValidReview);
        while (budget.Bodies.Available == bodies && !answer.IsCompleted)
        {
            await Task.Delay(10); // until the review has taken its body's bytes (or, wrongly, been answered)
        }

        Assert.False(answer.IsCompleted, "judged without room in the judging budget: " + (answer.IsCompleted ? (await answer).ToString() : string.Empty));
        Assert.Equal(0, budget.Judging.Available);
        held.Dispose();
        var judged = await answer;
        Assert.True(judged.Allowed, judged.ToString());
        Assert.Equal(bodies, budget.Bodies.Available); // given back once answered
        Assert.Equal(ReviewBudget.DefaultJudgingBytes, budget.Judging.Available);
    }

    [Theory]
    [InlineData("judging")]
    [InlineData("bodies")]
    public async Task A_review_that_finds_no_room_within_the_wait_is_answered_429_and_never_allowed(string full)
    {
        await using var server = await WebhookServer.StartAsync("--no-cluster", "true", "--review-wait-seconds", "0.2");
        var budget = server.Services.GetRequiredService<ReviewBudget>();
        using (await (full == "judging" ? budget.Judging : budget.Bodies).TakeAsync(long.MaxValue, CancellationToken.None))
        {
            var busy = await server.PostAsync("/validate", ValidReview);
            Assert.Equal(429, busy.Status);
            Assert.False(busy.Allowed);
            Assert.Contains("found no room within 0.2 s; try again", busy.Body, StringComparison.Ordinal);
            var metrics = await server.Client.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
            Assert.Contains($"webhook_busy_total{{budget=\"{full}\"}} 1", metrics, StringComparison.Ordinal);
        }

        // with room again, the same review is judged
        var judged = await server.PostAsync("/validate", ValidReview);
        Assert.True(judged.Allowed, judged.ToString());
    }

    [Fact]
    public async Task Small_reviews_are_judged_side_by_side_within_the_judging_budget()
    {
        await using var server = await WebhookServer.StartAsync("--no-cluster", "true", "--review-wait-seconds", "60");
        var budget = server.Services.GetRequiredService<ReviewBudget>();

        // leave room for exactly one 64 KiB unit: a few-KiB review still fits, beside what is held
        using var held = await budget.Judging.TakeAsync(ReviewBudget.DefaultJudgingBytes - (64 * 1024), CancellationToken.None);
        var judged = await server.PostAsync("/validate", ValidReview);
        Assert.True(judged.Allowed, judged.ToString());
    }
}
