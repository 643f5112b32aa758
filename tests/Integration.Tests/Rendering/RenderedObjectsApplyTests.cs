using System.Text.Json;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport.Cases;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Rendering;

/// <summary>
/// Everything <c>render</c> produces for the bundled examples and the valid golden cases is created on the real
/// apiserver, owned by its real ConfigMap: the apiserver must accept every object.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class RenderedObjectsApplyTests(ControlPlaneFixture controlPlane)
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var c in ValuesCase.BundledExamples())
        {
            data.Add("example:" + c.Name);
        }

        foreach (var c in ValuesCase.ValidCases())
        {
            data.Add("case:" + c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Every_rendered_object_is_accepted_by_the_apiserver(string input)
    {
        var valuesCase = Find(input);
        var ns = await controlPlane.CreateNamespaceAsync("render");
        var configMap = await controlPlane.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = valuesCase.Document.Name, Annotations = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" } },
                Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = valuesCase.Document.ValuesYaml },
            },
            ns);

        var evaluation = ValuesEvaluator.Evaluate(valuesCase.Document with { Namespace = ns }, valuesCase.Policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
        var rendered = Renderer.Render(evaluation.Model!, new RenderOptions(ApiVersionSelection.Newest, new OwnerConfigMap(configMap.Metadata.Name, configMap.Metadata.Uid)));
        Assert.NotEmpty(rendered.Objects);

        var rejections = new List<string>();
        foreach (var o in rendered.Objects)
        {
            var version = o.ApiVersion.Split('/')[^1];
            try
            {
                await controlPlane.Client.CustomObjects.CreateNamespacedCustomObjectAsync(o.Manifest, o.Kind.Group, version, ns, o.Kind.Plural);
            }
            catch (HttpOperationException e)
            {
                rejections.Add($"{o.Kind.Kind}/{o.Name}: {ApiErrors.MessageOf(e)}");
            }
        }

        Assert.Empty(rejections);

        // what the apiserver stored is what we sent: nothing we emit is pruned as an unknown field
        foreach (var o in rendered.Objects)
        {
            var stored = await controlPlane.Client.CustomObjects.GetNamespacedCustomObjectAsync(o.Kind.Group, o.ApiVersion.Split('/')[^1], ns, o.Kind.Plural, o.Name);
            var storedSpec = JsonNode.Parse(JsonSerializer.Serialize(stored))!["spec"];
            Assert.True(SpecContains(storedSpec, o.Manifest["spec"]), $"{o.Kind.Kind}/{o.Name}: the stored spec lost fields we sent:\nsent {o.Manifest["spec"]!.ToJsonString()}\nstored {storedSpec?.ToJsonString()}");
        }
    }

    /// <summary>The stored object may gain defaults, but must keep every field and value we sent.</summary>
    private static bool SpecContains(JsonNode? stored, JsonNode? sent) => (stored, sent) switch
    {
        (_, null) => true,
        (JsonObject s, JsonObject e) => e.All(kv => s.ContainsKey(kv.Key) && SpecContains(s[kv.Key], kv.Value)),
        (JsonArray s, JsonArray e) => s.Count == e.Count && e.Select((item, i) => SpecContains(s[i], item)).All(x => x),
        (JsonValue s, JsonValue e) => s.ToJsonString() == e.ToJsonString(),
        _ => false,
    };

    private static ValuesCase Find(string input)
    {
        var (source, name) = (input[..input.IndexOf(':', StringComparison.Ordinal)], input[(input.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var all = source == "example" ? ValuesCase.BundledExamples() : ValuesCase.ValidCases();
        return all.Single(c => c.Name == name);
    }
}
