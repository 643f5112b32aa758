using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>Values ConfigMaps through POST /validate and /mutate over HTTPS, as the apiserver sends them.</summary>
public sealed class ValuesAdmissionTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    private const string HashAnnotation = "models.ai-gateway.io/values-hash";
    private WebhookServer Server => fixture.Server;

    [Fact]
    public async Task Good_values_are_allowed_and_the_uid_is_echoed()
    {
        var review = Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues), uid: "705ab4f5-6393-11e8-b7cc-42010a800002");
        var answer = await Server.PostAsync("/validate", review);
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Allowed, answer.ToString());
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", (string?)answer.Response!["uid"]);
        var parsed = JsonNode.Parse(answer.Body)!;
        Assert.Equal("admission.k8s.io/v1", (string?)parsed["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)parsed["kind"]);
    }

    [Fact]
    public async Task Bad_values_are_denied_with_every_error_and_its_path_one_per_line()
    {
        const string values = """
            gatewayRef:
              name: ai-gateway
            backends:
              openai:
                schema: OpenAI
                fqdn:
                  hostname: 169.254.169.254
                  port: 443
                apiKeySecretRef:
                  name: openai-apikey
                  key: apiKey
            models:
              gpt-4:
                backends:
                  primary:
                    ref: opnai
            """;
        var answer = await Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("bad", values)));
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Allowed, answer.ToString());
        Assert.Equal(403, (int?)answer.Response!["status"]!["code"]);
        var lines = answer.Message.Split('\n');
        Assert.StartsWith("ConfigMap team-a/bad: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("backends.openai.fqdn.hostname: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("models.gpt-4.backends.primary.ref: ", StringComparison.Ordinal) && l.Contains("did you mean", StringComparison.Ordinal));
        Assert.True(lines.Length >= 3, answer.Message);
    }

    [Fact]
    public async Task A_credential_in_the_values_is_denied_without_echoing_it()
    {
        const string key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
        var values = Reviews.GoodValues + $"\nnotes: {key}\n";
        var answer = await Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("leak", values)));
        Assert.False(answer.Allowed, answer.ToString());
        Assert.DoesNotContain(key, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_ConfigMaps_are_allowed_without_reading_their_data()
    {
        var cm = Reviews.ConfigMap("plain", "{{{{ not yaml: [", annotated: false);
        var validate = await Server.PostAsync("/validate", Reviews.Review("CREATE", cm));
        Assert.True(validate.Allowed, validate.ToString());
        Assert.Empty(validate.Warnings);
        var mutate = await Server.PostAsync("/mutate", Reviews.Review("CREATE", cm));
        Assert.True(mutate.Allowed);
        Assert.Null(mutate.Patch);

        var off = Reviews.ConfigMap("off", "{{{{", annotated: false, annotations: new Dictionary<string, string> { ["models.ai-gateway.io/values"] = "false" });
        Assert.True((await Server.PostAsync("/validate", Reviews.Review("CREATE", off))).Allowed);
    }

    [Fact]
    public async Task Deleting_a_values_ConfigMap_is_allowed()
    {
        var old = Reviews.ConfigMap("models", "broken: [");
        var answer = await Server.PostAsync("/validate", Reviews.Review("DELETE", null, old));
        Assert.True(answer.Allowed, answer.ToString());
    }

    [Fact]
    public async Task An_update_is_judged_on_the_new_object()
    {
        var old = Reviews.ConfigMap("models", Reviews.GoodValues);
        var bad = Reviews.ConfigMap("models", Reviews.GoodValues.Edit("ref: azure", "ref: nowhere"));
        var answer = await Server.PostAsync("/validate", Reviews.Review("UPDATE", bad, old));
        Assert.False(answer.Allowed);
        Assert.Contains("models.gpt-4.backends.secondary.ref", answer.Message, StringComparison.Ordinal);
        var fixedUp = await Server.PostAsync("/validate", Reviews.Review("UPDATE", old, bad));
        Assert.True(fixedUp.Allowed, fixedUp.ToString());
    }

    [Fact]
    public async Task An_update_that_leaves_the_values_as_they_were_is_admitted_even_when_they_are_refused_now()
    {
        // values refused today (a newer policy, a newer release): the expander's status write and a user's label still pass
        var bad = Reviews.GoodValues.Edit("ref: azure", "ref: nowhere");
        var old = Reviews.ConfigMap("models", bad);
        var relabelled = Reviews.ConfigMap("models", bad, labels: new Dictionary<string, string> { ["team"] = "a" });
        var answer = await Server.PostAsync("/validate", Reviews.Review("UPDATE", relabelled, old));
        Assert.True(answer.Allowed, answer.ToString());

        // one more byte of data, or the values annotation added in this update: judged
        Assert.False((await Server.PostAsync("/validate", Reviews.Review("UPDATE", Reviews.ConfigMap("models", bad + "\n"), old))).Allowed);
        Assert.False((await Server.PostAsync("/validate", Reviews.Review("UPDATE", old, Reviews.ConfigMap("models", bad, annotated: false)))).Allowed);
    }

    [Fact]
    public async Task Only_the_expander_sets_or_changes_the_status_annotation()
    {
        const string Status = "models.ai-gateway.io/status";
        const string Expander = "system:serviceaccount:ai-gateway-models:expander";
        var plain = Reviews.ConfigMap("models", Reviews.GoodValues);
        var ready = Reviews.ConfigMap("models", Reviews.GoodValues, annotations: new Dictionary<string, string> { [Status] = "{\"ready\":true}" });
        var notReady = Reviews.ConfigMap("models", Reviews.GoodValues, annotations: new Dictionary<string, string> { [Status] = "{\"ready\":false}" });

        foreach (var (operation, obj, old) in new[] { ("CREATE", ready, (JsonObject?)null), ("UPDATE", ready, plain), ("UPDATE", ready, notReady) })
        {
            var forged = await Server.PostAsync("/validate", Reviews.Review(operation, obj, old, user: "alice"));
            Assert.False(forged.Allowed, operation);
            Assert.Contains($"ConfigMap team-a/models: the annotation {Status} is written by the expander only", forged.Message, StringComparison.Ordinal);
            Assert.True((await Server.PostAsync("/validate", Reviews.Review(operation, obj, old, user: Expander))).Allowed, operation);
        }

        // unchanged, or taken away: nothing is forged
        Assert.True((await Server.PostAsync("/validate", Reviews.Review("UPDATE", ready, ready, user: "alice"))).Allowed);
        Assert.True((await Server.PostAsync("/validate", Reviews.Review("UPDATE", plain, ready, user: "alice"))).Allowed);
    }

    [Fact]
    public async Task A_dry_run_is_judged_exactly_like_a_real_request()
    {
        var bad = Reviews.ConfigMap("models", "gatewayRef: {}\n");
        var real = await Server.PostAsync("/validate", Reviews.Review("CREATE", bad, uid: "u1"));
        var dry = await Server.PostAsync("/validate", Reviews.Review("CREATE", bad, dryRun: true, uid: "u1"));
        Assert.False(dry.Allowed);
        Assert.Equal(real.Body, dry.Body);
        var good = await Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("models", Reviews.GoodValues), dryRun: true));
        Assert.True(good.Allowed);
    }

    [Fact]
    public async Task Warnings_are_returned_and_at_most_120_characters()
    {
        var cm = Reviews.ConfigMap("warned", Reviews.GoodValues);
        cm["data"]!["other-key-" + new string('x', 150)] = "ignored";
        var answer = await Server.PostAsync("/validate", Reviews.Review("CREATE", cm));
        Assert.NotEmpty(answer.Warnings);
        Assert.All(answer.Warnings, w => Assert.True(w.Length <= 120, w));
        Assert.Contains(answer.Warnings, w => w.Contains("other-key", StringComparison.Ordinal) && w.Contains('…', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutation_adds_the_label_and_the_values_hash_and_never_touches_data()
    {
        var cm = Reviews.ConfigMap("models", Reviews.GoodValues);
        var answer = await Server.PostAsync("/mutate", Reviews.Review("CREATE", cm));
        Assert.True(answer.Allowed);
        Assert.Equal("JSONPatch", (string?)answer.Response!["patchType"]);
        var patch = answer.Patch!;
        Assert.Equal(2, patch.Count);
        Assert.Equal("/metadata/labels", (string?)patch[0]!["path"]);
        Assert.Equal("true", (string?)patch[0]!["value"]!["models.ai-gateway.io/values"]);
        Assert.Equal("/metadata/annotations/models.ai-gateway.io~1values-hash", (string?)patch[1]!["path"]);
        Assert.StartsWith("sha256:", (string?)patch[1]!["value"], StringComparison.Ordinal);
        Assert.DoesNotContain(patch, op => ((string?)op!["path"])!.StartsWith("/data", StringComparison.Ordinal));

        // applied: a second review of the patched object asks for nothing
        var hash = (string)patch[1]!["value"]!;
        var patched = Reviews.ConfigMap("models", Reviews.GoodValues,
            labels: new Dictionary<string, string> { ["models.ai-gateway.io/values"] = "true", ["app"] = "x" },
            annotations: new Dictionary<string, string> { [HashAnnotation] = hash });
        var again = await Server.PostAsync("/mutate", Reviews.Review("UPDATE", patched, cm));
        Assert.True(again.Allowed);
        Assert.Null(again.Patch);
    }

    [Fact]
    public async Task Mutation_fixes_a_wrong_label_and_a_stale_hash_with_escaped_pointers()
    {
        var cm = Reviews.ConfigMap("models", Reviews.GoodValues,
            labels: new Dictionary<string, string> { ["models.ai-gateway.io/values"] = "no" },
            annotations: new Dictionary<string, string> { [HashAnnotation] = "sha256:stale" });
        var patch = (await Server.PostAsync("/mutate", Reviews.Review("UPDATE", cm, cm))).Patch!;
        Assert.Equal(["/metadata/labels/models.ai-gateway.io~1values", "/metadata/annotations/models.ai-gateway.io~1values-hash"],
            patch.Select(p => (string)p!["path"]!).ToArray());
        Assert.All(patch, p => Assert.Equal("add", (string?)p!["op"]));
    }

    [Theory]
    [InlineData("a/b", "a~1b")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~/", "~0~1")]
    [InlineData("~1", "~01")]
    public void Json_pointer_segments_are_escaped(string key, string expected) =>
        Assert.Equal(expected, Admission.ValuesReview.PointerSegment(key));

    [Fact]
    public async Task Mutation_passes_everything_else_unchanged()
    {
        var deployment = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "d", ["namespace"] = "x" } };
        var answer = await Server.PostAsync("/mutate", Reviews.Review("CREATE", deployment, group: "apps", kind: "Deployment", resource: "deployments"));
        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        var delete = await Server.PostAsync("/mutate", Reviews.Review("DELETE", null, Reviews.ConfigMap("models", Reviews.GoodValues)));
        Assert.True(delete.Allowed);
        Assert.Null(delete.Patch);
    }
}
