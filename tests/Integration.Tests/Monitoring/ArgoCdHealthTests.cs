using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Processes;
using k8s;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Monitoring;

/// <summary>
/// The Argo CD health check of deploy/argocd/argocd-cm.yaml, run by Debian's Lua 5.1 (Argo CD embeds gopher-lua, a Lua
/// 5.1) the way Argo CD runs it (the object as the global <c>obj</c>, the script's result the health), against status
/// annotations the expander wrote: on the real apiserver with the webhook and the expander, and from the code that
/// builds the annotation with messages that need every kind of escape.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ArgoCdHealthTests(ControlPlaneFixture controlPlane)
{
    private const string ValuesHash = "models.ai-gateway.io/values-hash";

    [Fact]
    public async Task Healthy_when_in_sync_Progressing_until_the_new_values_are_observed_Degraded_with_the_message_when_not_ready()
    {
        var client = controlPlane.Client;
        var webhookNs = await controlPlane.CreateNamespaceAsync("argocd-home");
        var ns = await controlPlane.CreateNamespaceAsync("argocd-health");
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, webhookNs, "--expander-username", "admin"); // the test expander runs as the admin: only it may write the status
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns);
        await ValuesFixtures.CreateSourceSecretAsync(client, ns, "argocd-test-key");
        await ValuesFixtures.CreateValuesAsync(client, ns, ValuesFixtures.Values());

        // no status yet: the webhook recorded the values hash, no expander has run
        Assert.Equal(("Progressing", "waiting for the expander's first status"), await HealthAsync(await ReadAsync(ns)));

        await using (var expander = RunningExpander.Start(controlPlane, ns))
        {
            await Eventually.UntilAsync(async () => (await ValuesFixtures.StatusAsync(client, ns))?["ready"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(60), "status ready");
            var cm = await ReadAsync(ns);
            var status = Status(cm);
            Assert.Equal(cm["metadata"]!["annotations"]![ValuesHash]!.GetValue<string>(), status["observedValuesHash"]!.GetValue<string>());
            Assert.Equal(("Healthy", status["message"]!.GetValue<string>()), await HealthAsync(cm));
        }

        // an edit the expander has not seen: the webhook records the new hash, the status still names the old one
        await ValuesFixtures.UpdateValuesAsync(client, ns, ValuesFixtures.Values(gpt4oWeight: 60));
        var edited = await ReadAsync(ns);
        Assert.NotEqual(edited["metadata"]!["annotations"]![ValuesHash]!.GetValue<string>(), Status(edited)["observedValuesHash"]!.GetValue<string>());
        Assert.Equal(("Progressing", "the expander has not yet reconciled these values"), await HealthAsync(edited));

        // the expander sees the edit but the Secret it projects is gone: not ready, with its message
        await client.CoreV1.DeleteNamespacedSecretAsync(ValuesFixtures.AzureSecret, ns);
        await using (var expander = RunningExpander.Start(controlPlane, ns))
        {
            await Eventually.UntilAsync(
                async () => Status(await ReadAsync(ns)) is var s && s["ready"]!.GetValue<bool>() == false && s["observedValuesHash"]!.GetValue<string>() == edited["metadata"]!["annotations"]![ValuesHash]!.GetValue<string>(),
                TimeSpan.FromSeconds(60),
                "status not ready for the edited values");
            var cm = await ReadAsync(ns);
            var message = Status(cm)["message"]!.GetValue<string>();
            Assert.Contains("1 unusable Secret", message, StringComparison.Ordinal);
            Assert.Equal(("Degraded", message), await HealthAsync(cm));
        }

        // any other ConfigMap: Healthy, as Argo CD has it without a check
        var plain = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "x", ["annotations"] = new JsonObject { ["a"] = "b" } } };
        Assert.Equal(("Healthy", string.Empty), await HealthAsync(plain));
    }

    [Theory]
    [InlineData(true, "every object is in sync")]
    [InlineData(false, "conflict: AIGatewayRoute \"gpt-4o\" is owned by \"kubectl-client-side-apply\"; Secret \\ missing\nnext line, tab\t, ünïcödé ✓ and 😀")]
    [InlineData(false, "")]
    public async Task The_message_the_expander_wrote_comes_through_exactly(bool ready, string message)
    {
        // the annotation as the expander builds it (System.Text.Json escapes quotes, controls and non-ASCII as \uXXXX)
        var text = StatusAnnotation.Build("h1", ready, message, new ObjectCounts(3, 2, 1, 0, 0), DateTime.UtcNow).ToJsonString();
        var stored = JsonNode.Parse(text)!["message"]!.GetValue<string>();
        var cm = ValuesConfigMap(("models.ai-gateway.io/status", text), (ValuesHash, "h1"));

        var (status, luaMessage) = await HealthAsync(cm);

        Assert.Equal(ready ? "Healthy" : "Degraded", status);
        Assert.Equal(ready || stored.Length > 0 ? stored : "not ready", luaMessage);
    }

    [Fact]
    public async Task A_long_message_cut_by_the_expander_an_unreadable_annotation_and_no_values_hash()
    {
        var text = StatusAnnotation.Build("h1", false, new string('x', 600) + "\"", null, DateTime.UtcNow).ToJsonString();
        var stored = JsonNode.Parse(text)!["message"]!.GetValue<string>();
        Assert.EndsWith("…", stored, StringComparison.Ordinal);
        Assert.Equal(("Degraded", stored), await HealthAsync(ValuesConfigMap(("models.ai-gateway.io/status", text), (ValuesHash, "h1"))));

        var (status, message) = await HealthAsync(ValuesConfigMap(("models.ai-gateway.io/status", "{\"ready\":tru")));
        Assert.Equal("Degraded", status);
        Assert.StartsWith("unreadable status annotation: ", message, StringComparison.Ordinal);

        // without the webhook's hash (no mutating webhook): the status alone decides
        var ready = StatusAnnotation.Build("h2", true, "ok", null, DateTime.UtcNow).ToJsonString();
        Assert.Equal(("Healthy", "ok"), await HealthAsync(ValuesConfigMap(("models.ai-gateway.io/status", ready))));
    }

    private static JsonObject ValuesConfigMap(params (string Key, string Value)[] annotations)
    {
        var a = new JsonObject { [WellKnown.ValuesAnnotation] = "true" };
        foreach (var (key, value) in annotations)
        {
            a[key] = value;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "models", ["annotations"] = a } };
    }

    private async Task<JsonObject> ReadAsync(string ns)
    {
        var cm = await controlPlane.Client.CoreV1.ReadNamespacedConfigMapAsync(ValuesFixtures.Name, ns);
        return JsonNode.Parse(KubernetesJson.Serialize(cm))!.AsObject();
    }

    private static JsonObject Status(JsonObject cm) =>
        JsonNode.Parse(cm["metadata"]!["annotations"]![StatusAnnotation.Key]!.GetValue<string>())!.AsObject();

    /// <summary>Runs the shipped script as Argo CD does: <c>obj</c> set, the chunk's return value the health.</summary>
    private static async Task<(string Status, string Message)> HealthAsync(JsonObject obj)
    {
        var dir = Directory.CreateTempSubdirectory("argocd-health-").FullName;
        try
        {
            var script = Path.Combine(dir, "health.lua");
            var argocdCm = ManifestYaml.LoadDocuments(Path.Combine(RepoPaths.RepoRoot, "deploy", "argocd", "argocd-cm.yaml")).Single();
            await File.WriteAllTextAsync(script, argocdCm["data"]!["resource.customizations.health._ConfigMap"]!.GetValue<string>());
            var main = Path.Combine(dir, "main.lua");
            await File.WriteAllTextAsync(main,
                "obj = " + LuaValue(obj) + "\n" +
                "local hs = dofile(" + LuaString(script) + ")\n" +
                "io.write(hs.status, \"\\0\", hs.message)\n");
            var (code, stdout, stderr) = await TestProcess.RunAsync("lua5.1", [main]);
            Assert.True(code == 0, stderr);
            var parts = stdout.Split('\0');
            return (parts[0], parts[1]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A JSON value as a Lua 5.1 table constructor (what Argo CD hands the script as <c>obj</c>).</summary>
    private static string LuaValue(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => "[" + LuaString(p.Key) + "] = " + LuaValue(p.Value))) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(LuaValue)) + "}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => LuaString(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>A Lua string literal: printable ASCII as is, every other byte of the UTF-8 as a decimal escape.</summary>
    private static string LuaString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return sb.Append('"').ToString();
    }
}
