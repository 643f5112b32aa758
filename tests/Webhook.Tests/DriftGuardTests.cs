using System.Text.Json.Nodes;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>Generated objects may only be changed by the expander; everyone else is sent to the source ConfigMap.</summary>
public sealed class DriftGuardTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    private const string Expander = "system:serviceaccount:ai-gateway-models:expander";
    private WebhookServer Server => fixture.Server;

    private static JsonObject Route(int retries = 1, bool labelled = true, JsonObject? status = null, string[]? finalizers = null)
    {
        var labels = new JsonObject();
        if (labelled)
        {
            labels["app.kubernetes.io/managed-by"] = "ai-gateway-models";
            labels["models.ai-gateway.io/source"] = "models";
        }

        var meta = new JsonObject { ["name"] = "gpt-4", ["namespace"] = "team-a", ["labels"] = labels };
        if (finalizers is not null)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f!).ToArray());
        }

        var obj = new JsonObject
        {
            ["apiVersion"] = "aigateway.envoyproxy.io/v1beta1",
            ["kind"] = "AIGatewayRoute",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["retries"] = retries }) },
        };
        if (status is not null)
        {
            obj["status"] = status;
        }

        return obj;
    }

    private Task<Answer> Send(string op, JsonObject? obj, JsonObject? old, string user = "alice", string? subResource = null) =>
        Server.PostAsync("/validate", Reviews.Review(op, obj, old, group: "aigateway.envoyproxy.io", version: "v1beta1", kind: "AIGatewayRoute",
            resource: "aigatewayroutes", user: user, subResource: subResource));

    [Fact]
    public async Task A_spec_change_by_a_person_is_denied_and_names_the_source_ConfigMap()
    {
        var answer = await Send("UPDATE", Route(retries: 5), Route());
        Assert.False(answer.Allowed);
        Assert.Contains("edit ConfigMap team-a/models instead", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_label_in_the_same_request_does_not_get_around_it()
    {
        var answer = await Send("UPDATE", Route(retries: 5, labelled: false), Route());
        Assert.False(answer.Allowed);
        var labelOnly = await Send("UPDATE", Route(labelled: false), Route());
        Assert.False(labelOnly.Allowed);
        Assert.Contains("label", labelOnly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletion_is_denied_except_for_the_garbage_collector_namespace_controller_and_expander()
    {
        Assert.False((await Send("DELETE", null, Route())).Allowed);
        Assert.True((await Send("DELETE", null, Route(), "system:serviceaccount:kube-system:generic-garbage-collector")).Allowed);
        Assert.True((await Send("DELETE", null, Route(), "system:serviceaccount:kube-system:namespace-controller")).Allowed);
        Assert.True((await Send("DELETE", null, Route(), Expander)).Allowed);
    }

    [Fact]
    public async Task The_expander_status_finalizers_and_other_metadata_pass()
    {
        Assert.True((await Send("UPDATE", Route(retries: 5), Route(), Expander)).Allowed);
        Assert.True((await Send("UPDATE", Route(status: new JsonObject { ["x"] = 1 }), Route(), subResource: "status")).Allowed);
        Assert.True((await Send("UPDATE", Route(finalizers: ["example.com/keep"]), Route())).Allowed);
        Assert.True((await Send("UPDATE", Route(status: new JsonObject { ["x"] = 2 }), Route())).Allowed);
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
    public async Task Secrets_are_guarded_on_data_and_type()
    {
        JsonObject Secret(string data, string type = "Opaque") => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "openai-apikey",
                ["namespace"] = "team-a",
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "ai-gateway-models", ["models.ai-gateway.io/source"] = "models" },
            },
            ["type"] = type,
            ["data"] = new JsonObject { ["apiKey"] = data },
        };
        Task<Answer> Send(JsonObject obj, JsonObject old) =>
            Server.PostAsync("/validate", Reviews.Review("UPDATE", obj, old, kind: "Secret", resource: "secrets"));

        var changed = await Send(Secret("bmV3"), Secret("b2xk"));
        Assert.False(changed.Allowed);
        Assert.DoesNotContain("bmV3", changed.Body, StringComparison.Ordinal);
        Assert.False((await Send(Secret("b2xk", "kubernetes.io/tls"), Secret("b2xk"))).Allowed);
        var annotated = Secret("b2xk");
        annotated["metadata"]!["annotations"] = new JsonObject { ["note"] = "x" };
        Assert.True((await Send(annotated, Secret("b2xk"))).Allowed);
    }
}
