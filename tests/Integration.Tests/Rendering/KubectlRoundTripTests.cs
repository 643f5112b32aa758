using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Deploy;
using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Cases;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Rendering;

/// <summary>
/// <c>expander render | kubectl create -f -</c> creates what render meant. kubectl (like Helm and Argo CD) reads YAML by
/// YAML 1.1 rules, where a plain <c>on</c>, <c>yes</c>, <c>n</c> or <c>0b1</c> is a boolean or a number; render writes
/// YAML 1.2 and must quote every such scalar. So the render output of every valid case goes through kubectl itself
/// (<c>kubectl create --dry-run=server -o json -f -</c>: a server-side dry run stores nothing, and kubectl needs the
/// server for discovery anyway), and what comes back must hold every key and scalar of our own YAML 1.2 reading of the
/// same text, with the same JSON type: a name that kubectl turned into <c>true</c> or <c>1</c> fails here.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class KubectlRoundTripTests(ControlPlaneFixture controlPlane)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ValuesCase.ValidCases())
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void A_case_with_YAML_1_1_ambiguous_names_is_among_them()
    {
        // without it this test would prove little: the other cases' names read alike in YAML 1.1 and 1.2
        var text = Render(ValuesCase.ValidCases().Single(c => c.Name == "yaml-1-1-ambiguous-names"));
        foreach (var name in new[] { "\"on\"", "\"no\"", "\"off\"", "\"y\"", "\"n\"", "\"0b1\"", "\"017\"", "\"1e3\"" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Kubectl_reads_the_rendered_YAML_as_we_read_it(string name)
    {
        var (code, stderr, problems) = await RoundTripAsync(Render(ValuesCase.ValidCases().Single(c => c.Name == name)));
        Assert.True(code == 0, $"{name}: kubectl create --dry-run=server failed ({code}):\n{stderr}");
        Assert.True(problems.Count == 0, $"{name}: kubectl read the rendered YAML otherwise than we do:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [InlineData("name: \"on\"\n", "name: on\n")]
    [InlineData("modelNameOverride: \"y\"\n", "modelNameOverride: y\n")]
    [InlineData("value: \"017\"\n", "value: 017\n")]
    public async Task Without_the_quotes_kubectl_would_read_it_otherwise(string quoted, string plain)
    {
        // the check above can fail: the same output with one YAML-1.1-ambiguous scalar unquoted is refused or misread
        var text = Render(ValuesCase.ValidCases().Single(c => c.Name == "yaml-1-1-ambiguous-names"));
        var (code, _, problems) = await RoundTripAsync(Fixture.Edit(text, quoted, plain));
        Assert.True(code != 0 || problems.Count > 0, $"kubectl read {plain.Trim()} as we do");
    }

    /// <summary>kubectl's exit code and error text, and where its reading of <paramref name="text"/> differs from ours.</summary>
    private async Task<(int Code, string Stderr, List<string> Problems)> RoundTripAsync(string text)
    {
        var ours = YamlJson.ReadObjects(text);
        Assert.NotEmpty(ours);
        foreach (var ns in ours.Select(o => o["metadata"]?["namespace"]?.GetValue<string>()).OfType<string>().Distinct())
        {
            await EnsureNamespaceAsync(ns);
        }

        var (code, stdout, stderr) = await Kubectl.RunAsync(["create", "--dry-run=server", "-o", "json", "-f", "-"], text, controlPlane.KubeconfigPath);
        var problems = new List<string>();
        if (code != 0)
        {
            return (code, stderr, problems);
        }

        var theirs = Items(stdout);
        if (ours.Count != theirs.Count)
        {
            problems.Add($"we read {ours.Count} objects, kubectl returned {theirs.Count}");
        }

        foreach (var o in ours)
        {
            var id = Id(o);
            var match = theirs.Where(t => Id(t) == id).ToList();
            if (match.Count != 1)
            {
                problems.Add($"{id}: kubectl returned {match.Count} objects of that kind and name; it returned [{string.Join(", ", theirs.Select(Id))}]");
                continue;
            }

            Compare(o, match[0], id, problems);
        }

        return (code, stderr, problems);
    }

    private static string Render(ValuesCase valuesCase)
    {
        var evaluation = ValuesEvaluator.Evaluate(valuesCase.Document, valuesCase.Policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
        return YamlWriter.Write(Renderer.Render(evaluation.Model!).Objects.Select(o => o.Manifest));
    }

    /// <summary>Every key and scalar of <paramref name="ours"/> is in <paramref name="theirs"/>, of the same JSON type and value.</summary>
    private static void Compare(JsonNode? ours, JsonNode? theirs, string path, List<string> problems)
    {
        switch (ours, theirs)
        {
            case (JsonObject o, JsonObject t):
                foreach (var (key, value) in o)
                {
                    if (!t.ContainsKey(key))
                    {
                        problems.Add($"{path}: key {key} is missing; kubectl has [{string.Join(", ", t.Select(p => p.Key))}]");
                        continue;
                    }

                    Compare(value, t[key], path + "." + key, problems);
                }

                break;
            case (JsonArray o, JsonArray t) when o.Count == t.Count:
                for (var i = 0; i < o.Count; i++)
                {
                    Compare(o[i], t[i], $"{path}[{i}]", problems);
                }

                break;
            case (JsonValue o, JsonValue t) when o.GetValueKind() == t.GetValueKind() && o.ToJsonString() == t.ToJsonString():
                break;
            case (null, null):
                break;
            default:
                problems.Add($"{path}: we read {ours?.ToJsonString() ?? "null"}, kubectl read {theirs?.ToJsonString() ?? "null"}");
                break;
        }
    }

    /// <summary>kubectl v1.20 prints one JSON object after another (later releases print a List: both are read).</summary>
    private static List<JsonObject> Items(string output)
    {
        var objects = new List<JsonObject>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            var node = JsonNode.Parse(ref reader);
            objects.AddRange(node?["kind"]?.GetValue<string>() == "List" && node["items"] is JsonArray items ? items.OfType<JsonObject>() : [(JsonObject)node!]);
        }

        return objects;
    }

    // as JSON text: a name kubectl read as true or 1 must not match the string "on" or "1", nor throw
    private static string Id(JsonNode o) =>
        $"{o["kind"]?.ToJsonString()}/{o["metadata"]?["namespace"]?.ToJsonString()}/{o["metadata"]?["name"]?.ToJsonString()}";

    private async Task EnsureNamespaceAsync(string ns)
    {
        try
        {
            await controlPlane.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // made by another case
        }
    }
}
