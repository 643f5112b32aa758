using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;
using static AiGatewayModels.Engine.Tests.Crd.CrdTestObjects;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>Each class of OpenAPI schema error is caught, with its JSON path.</summary>
public sealed class StructuralErrorTests
{
    private static readonly Dictionary<string, InvalidCase> Cases = new(StringComparer.Ordinal)
    {
        ["unknown field in spec"] = new(AIGatewayRoute, o => o.Set("spec.llmRequestCost", new JsonArray()), "spec.llmRequestCost: unknown field \"llmRequestCost\""),
        ["unknown field in a nested object"] = new(AIServiceBackend, o => o.Set("spec.backendRef.prot", 443), "spec.backendRef.prot: unknown field"),
        ["unknown field in a list item"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[1].weigth", 2), "spec.rules[0].backendRefs[1].weigth: unknown field"),
        ["unknown top-level field"] = new(Backend, o => o.Set("specs", new JsonObject()), "specs: unknown field"),
        ["string where an integer is expected"] = new(Backend, o => o.Set("spec.endpoints[0].fqdn.port", "443"), "spec.endpoints[0].fqdn.port: must be of type integer, got string"),
        ["fraction where an integer is expected"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[0].weight", 1.5), "spec.rules[0].backendRefs[0].weight: must be of type integer"),
        ["object where an array is expected"] = new(AIGatewayRoute, o => o.Set("spec.rules", new JsonObject()), "spec.rules: must be of type array, got object"),
        ["string where a boolean is expected"] = new(Backend, o => o.Set("spec.fallback", "yes"), "spec.fallback: must be of type boolean"),
        ["array where a string is expected"] = new(AIServiceBackend, o => o.Set("spec.schema.version", new JsonArray("v1")), "spec.schema.version: must be of type string"),
        ["null list item"] = new(AIGatewayRoute, o => o.Set("spec.parentRefs", new JsonArray((JsonNode?)null)), "spec.parentRefs[0]: must be of type object, got null"),
        ["value outside the enum"] = new(AIServiceBackend, o => o.Set("spec.schema.name", "OpenAl"), "spec.schema.name: must be one of [\"OpenAI\""),
        ["enum is case-sensitive"] = new(BackendSecurityPolicy, o => o.Set("spec.type", "ApiKey"), "spec.type: must be one of"),
        ["pattern: upper-case namespace"] = new(AIGatewayRoute, o => o.Set("spec.parentRefs[0].namespace", "Default"), "spec.parentRefs[0].namespace: \"Default\" must match pattern"),
        ["pattern: RE2 $ does not match before a final newline"] = new(AIServiceBackend, o => o.Set("spec.backendRef.namespace", "default\n"), "spec.backendRef.namespace: \"default\\n\" must match pattern"),
        ["pattern: duration with a space"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].timeouts.request", "60 s"), "spec.rules[0].timeouts.request: \"60 s\" must match pattern"),
        ["pattern: header name"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].matches[0].headers[0].name", "x model"), "spec.rules[0].matches[0].headers[0].name: \"x model\" must match pattern"),
        ["required field missing"] = new(AIServiceBackend, o => o.Delete("spec.schema"), "spec.schema: Required value"),
        ["required field missing in a list item"] = new(AIGatewayRoute, o => o.Delete("spec.rules[0].backendRefs[0].name"), "spec.rules[0].backendRefs[0].name: Required value"),
        ["required spec missing"] = new(BackendTLSPolicy, o => o.Delete("spec.validation"), "spec.validation: Required value"),
        ["maxLength"] = new(BackendTLSPolicy, o => o.Set("spec.validation.hostname", new string('a', 254)), "spec.validation.hostname: may not be longer than 253 characters (is 254)"),
        ["maxLength counts characters, not bytes"] = new(AIServiceBackend, o => o.Set("spec.headerMutation.set[0].value", new string('é', 4097)), "spec.headerMutation.set[0].value: may not be longer than 4096 characters (is 4097)"),
        ["minLength"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[0].name", ""), "spec.rules[0].backendRefs[0].name: must be at least 1 characters long"),
        ["minimum"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[1].weight", -1), "spec.rules[0].backendRefs[1].weight: must be >= 0"),
        ["maximum"] = new(Backend, o => o.Set("spec.endpoints[0].fqdn.port", 65536), "spec.endpoints[0].fqdn.port: must be <= 65535"),
        ["int32 range"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[0].priority", 3_000_000_000L), "spec.rules[0].backendRefs[0].priority: must fit in a 32-bit signed integer"),
        ["maxItems"] = new(BackendTLSPolicy, o => o.Set("spec.targetRefs", Refs(17)), "spec.targetRefs: must have at most 16 items (has 17)"),
        ["minItems"] = new(BackendTLSPolicy, o => o.Set("spec.targetRefs", new JsonArray()), "spec.targetRefs: must have at least 1 items (has 0)"),
        ["list-map duplicate key"] = new(AIGatewayRoute, o => o.At("spec.rules[0].matches[0].headers").AsArray().Add(Header("x-ai-eg-model", "other")), "spec.rules[0].matches[0].headers[1]: duplicate entry for x-kubernetes-list-map-keys name=\"x-ai-eg-model\""),
        ["list-map duplicate key in mutations"] = new(AIServiceBackend, o => o.At("spec.headerMutation.set").AsArray().Add(Header("x-tenant", "b")), "spec.headerMutation.set[1]: duplicate entry for x-kubernetes-list-map-keys name=\"x-tenant\""),
        ["list-set duplicate value"] = new(AIServiceBackend, o => o.At("spec.headerMutation.remove").AsArray().Add("x-internal"), "spec.headerMutation.remove[1]: duplicate value \"x-internal\" in a list of type set"),
        ["additionalProperties value schema"] = new(RateLimitPolicy, o => o.Set("spec.limits.per-user.rates[0].window", "1 minute"), "spec.limits[per-user].rates[0].window: \"1 minute\" must match pattern"),
        ["unknown field under an additionalProperties value"] = new(RateLimitPolicy, o => o.Set("spec.limits.per-user.burst", 5), "spec.limits[per-user].burst: unknown field"),
        ["format date-time"] = new(AIGatewayRoute, o => o.Set("spec.rules[0].modelsCreatedAt", "yesterday"), "spec.rules[0].modelsCreatedAt: must be a valid date-time"),
        ["int-or-string: boolean"] = new(BackendTrafficPolicy, o => o.Set("spec.connection.bufferLimit", true), "spec.connection.bufferLimit: must be of type integer or string"),
        ["int-or-string: allOf pattern on the string"] = new(BackendTrafficPolicy, o => o.Set("spec.connection.bufferLimit", "50 MiB"), "spec.connection.bufferLimit: \"50 MiB\" must match pattern"),
    };

    public static TheoryData<string> CaseNames() => InvalidCase.NamesOf(Cases);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Is_caught(string name) => Cases[name].AssertCaught(CrdCatalog.Default);

    [Fact]
    public void An_integer_int_or_string_is_valid()
    {
        var obj = With(BackendTrafficPolicy, o => o.Set("spec.connection.bufferLimit", 1048576));
        Assert.Empty(CrdCatalog.Default.Validate(obj));
    }

    [Fact]
    public void Defaults_are_applied_before_validation()
    {
        // headers[].type defaults to Exact; a match without it is valid, and a list-map entry without its key is not.
        var obj = With(AIGatewayRoute, o => o.Delete("spec.rules[0].matches[0].headers[0].type"));
        Assert.Empty(CrdCatalog.Default.Validate(obj));
    }

    [Fact]
    public void A_null_field_that_is_not_nullable_is_pruned_like_the_apiserver_does()
    {
        var optional = With(AIServiceBackend, o => o.Set("spec.headerMutation", null));
        Assert.Empty(CrdCatalog.Default.Validate(optional));

        var required = With(AIServiceBackend, o => o.Set("spec.schema", null));
        Assert.Contains("spec.schema: Required value", CrdCatalog.Default.Validate(required));
    }

    [Fact]
    public void Gateway_address_value_must_match_anyOf_ipv4_or_ipv6()
    {
        var gateway = new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "Gateway",
            ["metadata"] = new JsonObject { ["name"] = "ai-gateway" },
            ["spec"] = new JsonObject
            {
                ["gatewayClassName"] = "envoy",
                ["listeners"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "HTTP", ["port"] = 80 }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "IPAddress", ["value"] = "10.0.0.1" }),
            },
        };
        Assert.Empty(CrdCatalog.Default.Validate(gateway));

        gateway.Set("spec.addresses[0].value", "10.0.0.300");
        // The address schema is a oneOf: type IPAddress with an ipv4-or-ipv6 value, or another type.
        var error = Assert.Single(CrdCatalog.Default.Validate(gateway));
        Assert.StartsWith("spec.addresses[0]: must match exactly one schema in oneOf (matches 0)", error, StringComparison.Ordinal);
        Assert.Contains("spec.addresses[0].value: must match at least one schema in anyOf (spec.addresses[0].value: must be a valid ipv4", error, StringComparison.Ordinal);
    }

    private static JsonArray Refs(int count) =>
        new(Enumerable.Range(0, count).Select(i => (JsonNode?)new JsonObject { ["group"] = "gateway.envoyproxy.io", ["kind"] = "Backend", ["name"] = $"b{i}" }).ToArray());

    private static JsonObject Header(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
