using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;
using static AiGatewayModels.Engine.Tests.Crd.CrdTestObjects;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>The apiserver's ObjectMeta rules: names, namespace, labels, annotations, finalizers, owner references; and core kinds' basics.</summary>
public sealed class MetadataErrorTests
{
    private static readonly Dictionary<string, InvalidCase> Cases = new(StringComparer.Ordinal)
    {
        ["name missing"] = new(AIServiceBackend, o => o.Delete("metadata.name"), "metadata.name: Required value"),
        ["name with upper case"] = new(AIServiceBackend, o => o.Set("metadata.name", "OpenAI"), "metadata.name: Invalid value \"OpenAI\": a lowercase RFC 1123 subdomain"),
        ["name with underscore"] = new(Backend, o => o.Set("metadata.name", "open_ai"), "metadata.name: Invalid value \"open_ai\""),
        ["name longer than 253"] = new(Backend, o => o.Set("metadata.name", new string('a', 254)), "metadata.name: Invalid value", "must be no more than 253 characters"),
        ["name of the wrong type"] = new(Backend, o => o.Set("metadata.name", 7), "metadata.name: must be of type string"),
        ["namespace with a dot (a DNS label)"] = new(AIGatewayRoute, o => o.Set("metadata.namespace", "ai.gateway"), "metadata.namespace: Invalid value \"ai.gateway\": a lowercase RFC 1123 label"),
        ["namespace longer than 63"] = new(AIGatewayRoute, o => o.Set("metadata.namespace", new string('a', 64)), "metadata.namespace: Invalid value", "must be no more than 63 characters"),
        ["label value longer than 63"] = new(AIGatewayRoute, o => o.Set("metadata.labels.app", new string('a', 64)), "metadata.labels[app]: value", "must be no more than 63 characters"),
        ["label value with a space"] = new(AIGatewayRoute, o => o.Set("metadata.labels.app", "ai gateway"), "metadata.labels[app]: value \"ai gateway\": a valid label must be an empty string"),
        ["label value that is not a string"] = new(AIGatewayRoute, o => o.Set("metadata.labels.replicas", 3), "metadata.labels[replicas]: must be of type string"),
        ["label key with an upper-case prefix"] = new(AIGatewayRoute, o => o.Set("metadata.labels", new JsonObject { ["Example.com/app"] = "x" }), "metadata.labels[Example.com/app]: key: prefix part a lowercase RFC 1123 subdomain"),
        ["label key name longer than 63"] = new(AIGatewayRoute, o => o.Set("metadata.labels", new JsonObject { [new string('k', 64)] = "x" }), "key: name part must be no more than 63 characters"),
        ["annotation key with two slashes"] = new(AIGatewayRoute, o => o.Set("metadata.annotations", new JsonObject { ["a/b/c"] = "x" }), "metadata.annotations[a/b/c]: key: a qualified name"),
        ["annotations over 256 KiB"] = new(AIGatewayRoute, o => o.Set("metadata.annotations", new JsonObject { ["big"] = new string('x', 256 * 1024) }), "metadata.annotations: Too long"),
        ["finalizer that is not a qualified name"] = new(Backend, o => o.Set("metadata.finalizers", new JsonArray("example.com/a/b")), "metadata.finalizers[0]"),
        ["owner reference without uid"] = new(Backend, o => o.Set("metadata.ownerReferences", new JsonArray(Owner(controller: true, uid: null))), "metadata.ownerReferences[0].uid: Required value"),
        ["owner reference with an unknown field"] = new(Backend, o => o.Set("metadata.ownerReferences", new JsonArray(Owner(controller: true, extra: "x"))), "metadata.ownerReferences[0].namespace: unknown field"),
        ["two controller owner references"] = new(Backend, o => o.Set("metadata.ownerReferences", new JsonArray(Owner(controller: true), Owner(controller: true))), "metadata.ownerReferences: Invalid value: only one reference can have Controller set to true"),
        ["unknown metadata field"] = new(BackendTLSPolicy, o => o.Set("metadata.label", new JsonObject()), "metadata.label: unknown field"),
        ["Secret data that is not base64"] = new(Secret, o => o.Set("data.org", "not base64!"), "data[org]: must be a valid byte"),
        ["Secret data key with a slash"] = new(Secret, o => o.Set("stringData", new JsonObject { ["api/key"] = "x" }), "stringData[api/key]: key a valid config key"),
        ["Secret with an unknown top-level field"] = new(Secret, o => o.Set("spec", new JsonObject()), "spec: unknown field \"spec\""),
        ["Secret without metadata"] = new(Secret, o => o.Delete("metadata"), "metadata: Required value"),
        ["ConfigMap value that is not a string"] = new(ConfigMap, o => o.Set("data.replicas", 3), "data[replicas]: must be of type string"),
        ["ConfigMap name with upper case"] = new(ConfigMap, o => o.Set("metadata.name", "Values"), "metadata.name: Invalid value \"Values\""),
    };

    public static TheoryData<string> CaseNames() => InvalidCase.NamesOf(Cases);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Is_caught(string name) => Cases[name].AssertCaught(CrdCatalog.Default);

    [Fact]
    public void A_controller_owner_reference_and_generateName_are_valid()
    {
        var obj = With(Backend, o =>
        {
            o.Delete("metadata.name");
            o.Set("metadata.generateName", "openai-");
            o.Set("metadata.ownerReferences", new JsonArray(Owner(controller: true), Owner(controller: false)));
            o.Set("metadata.finalizers", new JsonArray("models.ai-gateway.io/cleanup"));
            o.Set("metadata.labels", new JsonObject { ["app.kubernetes.io/name"] = "", ["tier"] = "a-b_c.d" });
        });
        Assert.Empty(CrdCatalog.Default.Validate(obj));
    }

    private static JsonObject Owner(bool controller, string? uid = "0c1b2a39-4d5e-4f60-8a7b-9c0d1e2f3a4b", string? extra = null)
    {
        var owner = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "models-values", ["controller"] = controller, ["blockOwnerDeletion"] = true,
        };
        if (uid is not null)
        {
            owner["uid"] = uid;
        }

        if (extra is not null)
        {
            owner["namespace"] = extra;
        }

        return owner;
    }
}
