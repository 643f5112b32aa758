using System.Text.Json.Nodes;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>
/// The drift guard through the server (the rule itself: <see cref="DriftRuleTests"/>). This server runs without a
/// cluster, so no owner can be proven live: an owned object is held as if its owner were unknown (fail safe, members of
/// system:masters excepted), and an object with our labels but no owner reference is an orphan anyone may change.
/// </summary>
public sealed class DriftGuardTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    private const string Expander = "system:serviceaccount:ai-gateway-models:expander";
    private WebhookServer Server => fixture.Server;

    private static JsonObject Route(int retries = 1, bool labelled = true, bool owned = true)
    {
        var meta = new JsonObject { ["name"] = "gpt-4", ["namespace"] = "team-a" };
        if (labelled)
        {
            meta["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "ai-gateway-models", ["models.ai-gateway.io/source"] = "models" };
        }

        if (owned)
        {
            meta["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "models", ["uid"] = "5f0c1c9e-0000-4000-8000-000000000001", ["controller"] = true,
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "aigateway.envoyproxy.io/v1beta1",
            ["kind"] = "AIGatewayRoute",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["retries"] = retries }) },
        };
    }

    private Task<Answer> Send(string op, JsonObject? obj, JsonObject? old, string user = "alice", bool masters = false)
    {
        var review = Reviews.Review(op, obj, old, group: "aigateway.envoyproxy.io", version: "v1beta1", kind: "AIGatewayRoute",
            resource: "aigatewayroutes", user: user);
        review["request"]!["userInfo"]!["groups"] = masters ? new JsonArray("system:masters", "system:authenticated") : new JsonArray("system:authenticated");
        return Server.PostAsync("/validate", review);
    }

    [Fact]
    public async Task An_owned_object_whose_owner_cannot_be_verified_is_held_except_for_system_masters_and_the_expander()
    {
        var denied = await Send("UPDATE", Route(retries: 5), Route());
        Assert.False(denied.Allowed);
        Assert.Contains("the models webhook cannot tell yet whether that values ConfigMap exists", denied.Message, StringComparison.Ordinal);
        Assert.False((await Send("DELETE", null, Route())).Allowed);

        var admin = await Send("DELETE", null, Route(), "admin", masters: true);
        Assert.True(admin.Allowed);
        Assert.Contains("AIGatewayRoute team-a/gpt-4: owner ConfigMap team-a/models not verifiable yet; allowed for system:masters", admin.Warnings);
        Assert.True((await Send("UPDATE", Route(retries: 5), Route(), Expander)).Allowed);
        Assert.True((await Send("DELETE", null, Route(), "system:serviceaccount:kube-system:generic-garbage-collector")).Allowed);
    }

    [Fact]
    public async Task Our_labels_without_an_owner_make_an_orphan_that_anyone_may_delete_with_a_warning_that_says_so()
    {
        var answer = await Send("DELETE", null, Route(owned: false));
        Assert.True(answer.Allowed);
        var warning = Assert.Single(answer.Warnings);
        Assert.Equal("orphan AIGatewayRoute team-a/gpt-4: our labels, but no controller owner reference to a values ConfigMap; not guarded", warning);
        Assert.DoesNotContain("edit ConfigMap", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlabelled_objects_and_other_kinds_pass()
    {
        Assert.True((await Send("UPDATE", Route(retries: 5, labelled: false), Route(labelled: false))).Allowed);
        Assert.True((await Send("DELETE", null, Route(labelled: false))).Allowed);
        var route = Route();
        route["kind"] = "HTTPRoute";
        var http = await Server.PostAsync("/validate", Reviews.Review("DELETE", null, route, group: "gateway.networking.k8s.io", kind: "HTTPRoute", resource: "httproutes"));
        Assert.True(http.Allowed);
    }

    [Fact]
    public async Task A_denied_Secret_change_does_not_repeat_the_data()
    {
        JsonObject Secret(string data) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = Route()["metadata"]!.DeepClone(),
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["apiKey"] = data },
        };
        var review = Reviews.Review("UPDATE", Secret("bmV3LWtleS1kby1ub3QtcHJpbnQ="), Secret("b2xk"), kind: "Secret", resource: "secrets", user: "alice");
        review["request"]!["userInfo"]!["groups"] = new JsonArray("system:authenticated");
        var changed = await Server.PostAsync("/validate", review);
        Assert.False(changed.Allowed);
        Assert.Contains("Secret team-a/gpt-4", changed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bmV3", changed.Body, StringComparison.Ordinal);
    }
}
