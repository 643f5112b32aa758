using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

/// <summary>One outcome per reconcile: the status annotation, the Events, the log line and the result all read it.</summary>
public sealed class ReconcileOutcomeTests
{
    private static readonly ValuesConfigMap Cm = new("team-a", "models", "uid-1", "values", true, "hash", null);
    private static readonly DateTime Now = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Invalid_values_are_done_not_ready_and_say_why_in_every_report()
    {
        var outcome = new ReconcileOutcome(Cm) { ValuesHash = "sha256:abc" };
        outcome.Reject("values are invalid, existing objects are kept: models.x: bad");

        Assert.Equal(ReconcileResult.Done, outcome.Result);
        var status = outcome.Status(Now);
        Assert.False(status["ready"]!.GetValue<bool>());
        Assert.Equal("sha256:abc", status["observedValuesHash"]!.GetValue<string>());
        Assert.Null(status["objects"]);
        var e = Assert.Single(outcome.Events);
        Assert.Equal((EventReasons.Invalid, true), (e.Reason, e.Warning));
        Assert.Equal(outcome.Message, e.Message);
        Assert.Equal((true, "team-a/models: " + outcome.Message), outcome.LogLine);
    }

    [Fact]
    public void A_conflict_is_retried_not_ready_and_counted_and_a_clean_apply_is_ready()
    {
        var conflict = Outcome(ApplyStatus.Applied, ApplyStatus.Conflict, ApplyStatus.Unchanged);
        Assert.False(conflict.Complete);
        Assert.Equal(ReconcileResult.Retry, conflict.Result);
        Assert.Equal("not in sync: 1 conflicts, 0 unusable Secrets, 0 failed writes, 0 objects the cluster's versions cannot express; nothing pruned", conflict.Message);
        var objects = (JsonObject)conflict.Status(Now)["objects"]!;
        Assert.Equal((3, 2, 1), (objects["desired"]!.GetValue<int>(), objects["inSync"]!.GetValue<int>(), objects["conflicts"]!.GetValue<int>()));
        Assert.Equal([EventReasons.Applied, EventReasons.Conflict], conflict.Events.Select(e => e.Reason));

        var clean = Outcome(ApplyStatus.Unchanged, ApplyStatus.Unchanged);
        Assert.Equal(ReconcileResult.Done, clean.Result);
        Assert.True(clean.Status(Now)["ready"]!.GetValue<bool>());
        Assert.Equal("2 objects in sync", clean.Message);
        Assert.Empty(clean.Events);
        Assert.Null(clean.LogLine); // a no-op resync says nothing
    }

    [Fact]
    public void A_missing_projection_source_blocks_readiness_and_pruning()
    {
        var outcome = Outcome(ApplyStatus.Applied);
        outcome.UnusableSecrets = ["Secret azure (backends.azure.apiKeySecretRef) does not exist"];
        outcome.ProjectionSourceUnusable = true;
        Assert.False(outcome.Complete); // the last projected copy must stay
        Assert.False(outcome.Ready);
        Assert.Equal(ReconcileResult.Retry, outcome.Result);
        Assert.Equal(1, outcome.Status(Now)["objects"]!["missingSecrets"]!.GetValue<int>());
        Assert.EndsWith("; nothing pruned", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_Secret_that_is_only_referenced_blocks_readiness_but_not_pruning()
    {
        var outcome = Outcome(ApplyStatus.Applied);
        outcome.UnusableSecrets = ["Secret gcp (backends.vertex.gcpCredentials.credentialsFile.secretRef) does not exist"];
        Assert.True(outcome.Complete); // nothing of ours depends on it: what is no longer desired may go
        Assert.False(outcome.Ready);
        Assert.Equal(ReconcileResult.Retry, outcome.Result);
        Assert.False(outcome.Status(Now)["ready"]!.GetValue<bool>());
        Assert.Equal("not in sync: 0 conflicts, 1 unusable Secrets, 0 failed writes, 0 objects the cluster's versions cannot express", outcome.Message);
        Assert.Equal(false, outcome.LogLine?.Warning);
    }

    [Fact]
    public void An_object_the_cluster_s_versions_cannot_express_is_not_ready_and_retried()
    {
        var outcome = Outcome(ApplyStatus.Unchanged);
        outcome.Omitted = ["TokenRateLimitPolicy m0-tokens: the cluster serves no version that can express it"];
        Assert.True(outcome.Complete);
        Assert.False(outcome.Ready);
        Assert.Equal(ReconcileResult.Retry, outcome.Result);
        Assert.Contains("1 objects the cluster's versions cannot express", outcome.Message, StringComparison.Ordinal);
        Assert.NotNull(outcome.LogLine);
    }

    [Fact]
    public void A_lost_claim_is_not_ready_with_reason_Conflict_but_does_not_stop_the_prune_of_what_it_withholds()
    {
        var outcome = Outcome(ApplyStatus.Unchanged);
        var winner = new Claimant("team-b", "models", "uid-2", DateTimeOffset.UnixEpoch, new Footprint("team-b", [], "gateway", null, new Dictionary<string, string>()));
        outcome.Claims = new ClaimOutcome(
            [new LostClaim("the generated Backend b0 is claimed by the older ConfigMap team-b/models; rename the backend or model (or its resourceName)", winner, ["Backend/b0"])],
            new HashSet<string>(StringComparer.Ordinal));
        Assert.True(outcome.Complete); // the withheld objects are pruned with the rest: the winner's are never touched
        Assert.False(outcome.Ready);
        Assert.Equal(ReconcileResult.Retry, outcome.Result);
        var status = outcome.Status(Now);
        Assert.Equal(EventReasons.Conflict, status["reason"]!.GetValue<string>());
        Assert.Equal("Conflict: the generated Backend b0 is claimed by the older ConfigMap team-b/models; rename the backend or model (or its resourceName); 1 objects withheld", outcome.Message);
        Assert.Equal(1, status["objects"]!["conflicts"]!.GetValue<int>());
        Assert.Contains("1 lost claims", outcome.LogLine!.Value.Text, StringComparison.Ordinal);
        Assert.Null(Outcome(ApplyStatus.Unchanged).Status(Now)["reason"]);
    }

    private static ReconcileOutcome Outcome(params ApplyStatus[] statuses)
    {
        var outcome = new ReconcileOutcome(Cm) { ValuesHash = "sha256:abc", Desired = statuses.Length };
        outcome.Applies = [.. statuses.Select((s, i) => new ApplyOutcome(
            DesiredObject.From(ResourceKind.Backend, "gateway.envoyproxy.io/v1alpha1", "b" + i, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "b" + i } }),
            s, s == ApplyStatus.Conflict ? "Backend b" + i + " exists and is owned by another ConfigMap (other); left untouched" : null))];
        outcome.RecordApplyEvents();
        return outcome;
    }
}
