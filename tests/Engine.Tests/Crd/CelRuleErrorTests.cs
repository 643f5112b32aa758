using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;
using static AiGatewayModels.Engine.Tests.Crd.CrdTestObjects;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>CEL rules (x-kubernetes-validations) of the project's kinds are evaluated and report their message at the rule's path.</summary>
public sealed class CelRuleErrorTests
{
    private static readonly Dictionary<string, InvalidCase> Cases = new(StringComparer.Ordinal)
    {
        ["AIServiceBackend backendRef without group and kind (defaults to a Service)"] = new(
            AIServiceBackend,
            o => { o.Delete("spec.backendRef.group"); o.Delete("spec.backendRef.kind"); },
            "spec.backendRef: BackendRef must be a Backend resource of Envoy Gateway",
            "spec.backendRef: Must have port for Service reference"),
        ["AIServiceBackend backendRef to a Backend of another group"] = new(
            AIServiceBackend, o => o.Set("spec.backendRef.group", "example.com"), "spec.backendRef: BackendRef must be a Backend resource of Envoy Gateway"),
        ["RateLimitPolicy targeting an AIGatewayRoute"] = new(
            RateLimitPolicy, o => o.Set("spec.targetRef.kind", "AIGatewayRoute"), "spec.targetRef: Invalid targetRef.kind. The only supported values are 'HTTPRoute', 'GRPCRoute' and 'Gateway'"),
        ["RateLimitPolicy targeting another group"] = new(
            RateLimitPolicy, o => o.Set("spec.targetRef.group", "aigateway.envoyproxy.io"), "spec.targetRef: Invalid targetRef.group"),
        ["RateLimitPolicy with both defaults and limits"] = new(
            RateLimitPolicy, o => o.Set("spec.defaults", new JsonObject { ["limits"] = o.At("spec.limits").DeepClone() }), "spec: Implicit and explicit defaults are mutually exclusive"),
        ["RateLimitPolicy with defaults and an empty limits map (has() is true for an empty map)"] = new(
            RateLimitPolicy,
            o => { o.Set("spec.defaults", new JsonObject { ["limits"] = o.At("spec.limits").DeepClone() }); o.Set("spec.limits", new JsonObject()); },
            "spec: Implicit and explicit defaults are mutually exclusive"),
        ["RateLimitPolicy without limits"] = new(RateLimitPolicy, o => o.Delete("spec.limits"), "spec: At least one spec.limits must be defined"),
        ["AIGatewayRoute backendRef with a group but no kind"] = new(
            AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs[0].group", "gateway.envoyproxy.io"), "spec.rules[0].backendRefs[0]: group and kind must be specified together"),
        ["AIGatewayRoute backendRef with the InferencePool group but no kind (hand-written rule)"] = new(
            AIGatewayRoute,
            o => o.Set("spec.rules[0].backendRefs[0].group", "inference.networking.k8s.io"),
            "spec.rules[0].backendRefs[0]: group and kind must be specified together",
            "spec.rules[0].backendRefs[0]: only InferencePool from inference.networking.k8s.io group is supported"),
        ["AIGatewayRoute backendRef with an empty group and kind"] = new(
            AIGatewayRoute,
            o => { o.Set("spec.rules[0].backendRefs[0].group", ""); o.Set("spec.rules[0].backendRefs[0].kind", ""); },
            "spec.rules[0].backendRefs[0]: only InferencePool from inference.networking.k8s.io group is supported"),
        ["AIGatewayRoute mixing InferencePool and AIServiceBackend references"] = new(
            AIGatewayRoute,
            o => { o.Set("spec.rules[0].backendRefs[0].group", "inference.networking.k8s.io"); o.Set("spec.rules[0].backendRefs[0].kind", "InferencePool"); },
            "spec.rules[0]: cannot mix InferencePool and AIServiceBackend references in the same rule"),
        ["AIGatewayRoute parentRef to something else than a Gateway"] = new(
            AIGatewayRoute, o => o.Set("spec.parentRefs[0].kind", "ListenerSet"), "spec.parentRefs: only Gateway is supported"),
        ["AIGatewayRoute rule names not unique"] = new(
            AIGatewayRoute, o => o.At("spec.rules").AsArray().Add(o.At("spec.rules[0]").DeepClone()), "spec.rules: rule name must be unique within the route"),
        ["AIGatewayRoute reserved rule name"] = new(
            AIGatewayRoute, o => o.Set("spec.rules[0].name", "route-not-found"), "spec.rules[0]: rule name route-not-found is reserved"),
        ["AIGatewayRoute backend timeout longer than the request timeout (durations)"] = new(
            AIGatewayRoute, o => o.Set("spec.rules[0].timeouts.backendRequest", "1m30s"), "spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout"),
        ["BackendSecurityPolicy of type APIKey with another credential"] = new(
            BackendSecurityPolicy,
            o => o.Set("spec.anthropicAPIKey", new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "anthropic" } }),
            "spec: When type is APIKey, only apiKey field should be set"),
        ["BackendSecurityPolicy targeting a Backend"] = new(
            BackendSecurityPolicy, o => o.Set("spec.targetRefs[0].kind", "Backend"), "spec.targetRefs: targetRefs must reference AIServiceBackend or InferencePool resources"),
        ["BackendSecurityPolicy forwarding the access token over an Authorization ID token header (lowerAscii)"] = new(
            BackendSecurityPolicy, UseAwsOidcForwardingBothTokens, "spec.awsCredentials.oidcExchangeToken.oidc: forwardAccessToken cannot be true when forwardIDToken.header is Authorization"),
        ["Backend mixing fqdn and ip endpoints"] = new(
            Backend, o => o.At("spec.endpoints").AsArray().Add(new JsonObject { ["ip"] = new JsonObject { ["address"] = "10.0.0.1", ["port"] = 443 } }),
            "spec.endpoints: fqdn addresses cannot be mixed with other address types"),
        ["Backend endpoint with both fqdn and ip"] = new(
            Backend, o => o.Set("spec.endpoints[0].ip", new JsonObject { ["address"] = "10.0.0.1", ["port"] = 443 }), "spec.endpoints[0]: only one of fqdn, ip or unix can be specified"),
        ["Backend autoSNIFromEndpointHostname without endpoints (hand-written rule)"] = new(
            Backend,
            o => { o.Delete("spec.endpoints"); o.Set("spec.tls", new JsonObject { ["autoSNIFromEndpointHostname"] = true }); },
            "spec: when autoSNIFromEndpointHostname is enabled, IP and Unix endpoints must define a hostname"),
        ["Backend autoSNIFromEndpointHostname with an IP endpoint without hostname (hand-written rule)"] = new(
            Backend,
            o =>
            {
                o.Set("spec.endpoints", new JsonArray(new JsonObject { ["ip"] = new JsonObject { ["address"] = "10.0.0.1", ["port"] = 443 } }));
                o.Set("spec.tls", new JsonObject { ["autoSNIFromEndpointHostname"] = true });
            },
            "spec: when autoSNIFromEndpointHostname is enabled, IP and Unix endpoints must define a hostname"),
        ["Backend TLS minVersion above maxVersion (map literal lookup)"] = new(
            Backend, o => o.Set("spec.tls", new JsonObject { ["minVersion"] = "1.3", ["maxVersion"] = "1.2" }), "spec.tls: minVersion must be smaller or equal to maxVersion"),
        ["BackendTLSPolicy without CA certificates"] = new(
            BackendTLSPolicy, o => o.Delete("spec.validation.wellKnownCACertificates"), "spec.validation: must specify either CACertificateRefs or WellKnownCACertificates"),
        ["BackendTLSPolicy targeting the same Backend twice"] = new(
            BackendTLSPolicy, o => o.At("spec.targetRefs").AsArray().Add(o.At("spec.targetRefs[0]").DeepClone()),
            "spec.targetRefs: sectionName must be unique when targetRefs includes 2 or more references to the same target"),
        ["BackendTLSPolicy subjectAltName of type Hostname without hostname"] = new(
            BackendTLSPolicy, o => o.Set("spec.validation.subjectAltNames", new JsonArray(new JsonObject { ["type"] = "Hostname" })),
            "spec.validation.subjectAltNames[0]: SubjectAltName element must contain Hostname, if Type is set to Hostname"),
        ["BackendTrafficPolicy targeting a Backend"] = new(
            BackendTrafficPolicy, o => o.Set("spec.targetRefs[0].kind", "Backend"), "spec: this policy can only have a targetRefs[*].kind of"),
        ["BackendTrafficPolicy HTTP/2 keepalive timeout not below its interval (durations)"] = new(
            BackendTrafficPolicy, o => o.Set("spec.http2", new JsonObject { ["connectionKeepalive"] = new JsonObject { ["interval"] = "10s", ["timeout"] = "20s" } }),
            "spec.http2.connectionKeepalive: timeout must be less than interval"),
    };

    public static TheoryData<string> CaseNames() => InvalidCase.NamesOf(Cases);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Is_caught(string name) => Cases[name].AssertCaught(CrdCatalog.Default);

    [Fact]
    public void A_valid_AWS_OIDC_policy_passes_the_same_rule()
    {
        var obj = With(BackendSecurityPolicy, o =>
        {
            UseAwsOidcForwardingBothTokens(o);
            o.Set("spec.awsCredentials.oidcExchangeToken.oidc.forwardIDToken.header", "X-Id-Token");
        });
        var result = CrdCatalog.Default.Check(obj);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.UnevaluatedRules);
    }

    [Fact]
    public void Hand_written_rules_run_instead_of_the_Cel_package()
    {
        var route = With(AIGatewayRoute, o =>
        {
            o.Set("spec.rules[0].backendRefs", new JsonArray(new JsonObject
            {
                ["name"] = "pool", ["group"] = "inference.networking.k8s.io", ["kind"] = "InferencePool",
            }));
        });
        var result = CrdCatalog.Default.Check(route);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(1, result.RulesEvaluatedByHand);

        var backend = With(Backend, o =>
        {
            o.Set("spec.endpoints[0].hostname", "api.openai.com");
            o.Set("spec.tls", new JsonObject { ["autoSNIFromEndpointHostname"] = true });
        });
        result = CrdCatalog.Default.Check(backend);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(1, result.RulesEvaluatedByHand);
    }

    [Fact]
    public void A_backend_timeout_equal_to_the_request_timeout_is_valid()
    {
        var obj = With(AIGatewayRoute, o => o.Set("spec.rules[0].timeouts.backendRequest", "1m"));
        Assert.Empty(CrdCatalog.Default.Validate(obj));
    }

    [Fact]
    public void InferencePool_alone_in_a_rule_is_valid()
    {
        var obj = With(AIGatewayRoute, o => o.Set("spec.rules[0].backendRefs", new JsonArray(new JsonObject
        {
            ["name"] = "pool", ["group"] = "inference.networking.k8s.io", ["kind"] = "InferencePool",
        })));
        Assert.Empty(CrdCatalog.Default.Validate(obj));
    }

    private static void UseAwsOidcForwardingBothTokens(JsonObject policy)
    {
        policy.Set("spec.type", "AWSCredentials");
        policy.Delete("spec.apiKey");
        policy.Set("spec.awsCredentials", JsonNode.Parse("""
            {"region": "us-east-1",
             "oidcExchangeToken": {
               "awsRoleArn": "arn:aws:iam::123456789012:role/ai-gateway",
               "oidc": {
                 "provider": {"issuer": "https://issuer.example.com"},
                 "clientID": "ai-gateway",
                 "clientSecret": {"name": "oidc-client-secret"},
                 "forwardAccessToken": true,
                 "forwardIDToken": {"header": "Authorization"}
               }}}
            """));
    }
}
