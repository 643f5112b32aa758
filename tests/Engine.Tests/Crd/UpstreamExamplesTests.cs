using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>The upstream ai-gateway examples are valid against the upstream CRDs, as the apiserver would find them.</summary>
public sealed class UpstreamExamplesTests
{
    private const string BackendTlsPolicyV1Alpha3 = "gateway.networking.k8s.io/v1alpha3";

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in FileNames())
        {
            data.Add(file);
        }

        return data;
    }

    private static IEnumerable<string> FileNames() =>
        Directory.EnumerateFiles(ExamplesDir, "*.yaml").Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f));

    private static string ExamplesDir => Path.Combine(RepoPaths.SharedDir, "upstream-examples");

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Objects_of_catalog_kinds_validate_in_the_experimental_channel(string file)
    {
        var objects = Covered(CrdCatalog.Experimental, file);
        Assert.NotEmpty(objects);
        foreach (var obj in objects)
        {
            var result = CrdCatalog.Experimental.Check(obj);
            Assert.True(result.IsValid, $"{Describe(obj)}:\n{string.Join("\n", result.Errors)}");
            Assert.True(result.UnevaluatedRules.Count == 0, $"{Describe(obj)}:\n{string.Join("\n", result.UnevaluatedRules)}");
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Objects_of_catalog_kinds_validate_in_the_standard_channel_except_BackendTLSPolicy_v1alpha3(string file)
    {
        foreach (var obj in Covered(CrdCatalog.Default, file))
        {
            var errors = CrdCatalog.Default.Validate(obj);
            if (IsBackendTlsPolicyV1Alpha3(obj))
            {
                var error = Assert.Single(errors);
                Assert.Contains("is not served for kind BackendTLSPolicy", error, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(errors.Count == 0, $"{Describe(obj)}:\n{string.Join("\n", errors)}");
            }
        }
    }

    [Fact]
    public void The_examples_hold_every_kind_the_project_generates()
    {
        var kinds = FileNames()
            .SelectMany(f => YamlJson.ReadObjectsFromFile(Path.Combine(ExamplesDir, f)))
            .Select(o => $"{o["apiVersion"]} {o["kind"]}")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[]
        {
            "aigateway.envoyproxy.io/v1beta1 AIGatewayRoute", "aigateway.envoyproxy.io/v1beta1 AIServiceBackend",
            "aigateway.envoyproxy.io/v1beta1 BackendSecurityPolicy", "gateway.envoyproxy.io/v1alpha1 Backend",
            "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy", $"{BackendTlsPolicyV1Alpha3} BackendTLSPolicy", "v1 Secret",
        })
        {
            Assert.Contains(expected, kinds);
        }
    }

    [Fact]
    public void The_same_BackendTLSPolicy_as_v1_validates_in_the_standard_channel()
    {
        var policies = FileNames()
            .SelectMany(f => YamlJson.ReadObjectsFromFile(Path.Combine(ExamplesDir, f)))
            .Where(IsBackendTlsPolicyV1Alpha3)
            .ToList();
        Assert.NotEmpty(policies);
        foreach (var policy in policies)
        {
            policy["apiVersion"] = "gateway.networking.k8s.io/v1";
            Assert.Empty(CrdCatalog.Default.Validate(policy));
        }
    }

    private static List<JsonObject> Covered(CrdCatalog catalog, string file) =>
        YamlJson.ReadObjectsFromFile(Path.Combine(ExamplesDir, file)).Where(catalog.Covers).ToList();

    private static bool IsBackendTlsPolicyV1Alpha3(JsonObject obj) =>
        obj["apiVersion"]?.GetValue<string>() == BackendTlsPolicyV1Alpha3 && obj["kind"]?.GetValue<string>() == "BackendTLSPolicy";

    private static string Describe(JsonObject obj) => $"{obj["apiVersion"]} {obj["kind"]} {obj["metadata"]?["name"]}";
}
