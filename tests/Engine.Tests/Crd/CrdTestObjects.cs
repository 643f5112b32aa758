using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>
/// One valid object of each kind the project generates, written by hand from the CRDs, and a small path editor
/// to break them one field at a time (<c>spec.rules[0].backendRefs[1].weight</c>).
/// </summary>
internal static class CrdTestObjects
{
    public const string AIGatewayRoute = "AIGatewayRoute";
    public const string AIServiceBackend = "AIServiceBackend";
    public const string BackendSecurityPolicy = "BackendSecurityPolicy";
    public const string Backend = "Backend";
    public const string BackendTrafficPolicy = "BackendTrafficPolicy";
    public const string BackendTLSPolicy = "BackendTLSPolicy";
    public const string RateLimitPolicy = "RateLimitPolicy";
    public const string Secret = "Secret";
    public const string ConfigMap = "ConfigMap";

    private static readonly Dictionary<string, string> Json = new(StringComparer.Ordinal)
    {
        [AIGatewayRoute] = """
            {"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "AIGatewayRoute",
             "metadata": {"name": "models", "namespace": "ai-gateway",
                          "labels": {"app.kubernetes.io/managed-by": "ai-gateway-models"},
                          "annotations": {"models.ai-gateway.io/values": "models: []"}},
             "spec": {
               "parentRefs": [{"name": "ai-gateway", "kind": "Gateway", "group": "gateway.networking.k8s.io"}],
               "rules": [{
                 "name": "gpt-4o-mini",
                 "matches": [{"headers": [{"type": "Exact", "name": "x-ai-eg-model", "value": "gpt-4o-mini"}]}],
                 "backendRefs": [{"name": "openai", "weight": 1, "priority": 0}, {"name": "azure", "weight": 1, "priority": 1}],
                 "timeouts": {"request": "60s", "backendRequest": "30s"}
               }]
             }}
            """,
        [AIServiceBackend] = """
            {"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "AIServiceBackend",
             "metadata": {"name": "openai", "namespace": "ai-gateway"},
             "spec": {
               "schema": {"name": "OpenAI", "version": "v1"},
               "backendRef": {"name": "openai", "kind": "Backend", "group": "gateway.envoyproxy.io"},
               "headerMutation": {"remove": ["x-internal"], "set": [{"name": "x-tenant", "value": "a"}]}
             }}
            """,
        [BackendSecurityPolicy] = """
            {"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "BackendSecurityPolicy",
             "metadata": {"name": "openai-apikey", "namespace": "ai-gateway"},
             "spec": {
               "targetRefs": [{"group": "aigateway.envoyproxy.io", "kind": "AIServiceBackend", "name": "openai"}],
               "type": "APIKey",
               "apiKey": {"secretRef": {"name": "openai-apikey", "namespace": "ai-gateway"}}
             }}
            """,
        [Backend] = """
            {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "Backend",
             "metadata": {"name": "openai", "namespace": "ai-gateway"},
             "spec": {"endpoints": [{"fqdn": {"hostname": "api.openai.com", "port": 443}}]}}
            """,
        [BackendTrafficPolicy] = """
            {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
             "metadata": {"name": "models", "namespace": "ai-gateway"},
             "spec": {
               "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "models"}],
               "connection": {"bufferLimit": "50Mi"},
               "retry": {
                 "numAttemptsPerPriority": 1, "numRetries": 5,
                 "perRetry": {"backOff": {"baseInterval": "100ms", "maxInterval": "10s"}, "timeout": "30s"},
                 "retryOn": {"httpStatusCodes": [500, 503], "triggers": ["connect-failure", "retriable-status-codes"]}
               }
             }}
            """,
        [BackendTLSPolicy] = """
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "BackendTLSPolicy",
             "metadata": {"name": "openai-tls", "namespace": "ai-gateway"},
             "spec": {
               "targetRefs": [{"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "openai"}],
               "validation": {"wellKnownCACertificates": "System", "hostname": "api.openai.com"}
             }}
            """,
        [RateLimitPolicy] = """
            {"apiVersion": "kuadrant.io/v1", "kind": "RateLimitPolicy",
             "metadata": {"name": "models", "namespace": "ai-gateway"},
             "spec": {
               "targetRef": {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "models"},
               "limits": {"per-user": {"rates": [{"limit": 100, "window": "1m"}], "counters": [{"expression": "auth.identity.userid"}]}}
             }}
            """,
        [Secret] = """
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "openai-apikey", "namespace": "ai-gateway"},
             "type": "Opaque", "stringData": {"apiKey": "sk-test"}, "data": {"org": "b3JnLTEyMw=="}}
            """,
        [ConfigMap] = """
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "models-values", "namespace": "ai-gateway"},
             "data": {"values.yaml": "models: []\n"}}
            """,
    };

    public static IEnumerable<string> Names => Json.Keys;

    /// <summary>A fresh copy of the valid object of <paramref name="name"/>.</summary>
    public static JsonObject Valid(string name) => JsonNode.Parse(Json[name])!.AsObject();

    /// <summary>The valid object of <paramref name="name"/> with <paramref name="edit"/> applied.</summary>
    public static JsonObject With(string name, Action<JsonObject> edit)
    {
        var obj = Valid(name);
        edit(obj);
        return obj;
    }

    /// <summary>Sets the value at a path (<c>a.b[0].c</c>); a missing last key is added.</summary>
    public static void Set(this JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonArray array:
                array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
                break;
            case JsonObject obj:
                obj[last] = value;
                break;
        }
    }

    /// <summary>Removes the key at a path.</summary>
    public static void Delete(this JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        Assert(parent is JsonObject obj && obj.Remove(last), path);
    }

    /// <summary>The node at a path.</summary>
    public static JsonNode At(this JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        var node = parent is JsonArray array ? array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] : parent[last];
        return node ?? throw new ArgumentException($"nothing at {path}", nameof(path));
    }

    private static (JsonNode Parent, string Last) Parent(JsonObject root, string path)
    {
        var steps = path.ReplaceAll("[", ".").ReplaceAll("]", "").Split('.');
        JsonNode node = root;
        foreach (var step in steps[..^1])
        {
            node = (node is JsonArray array ? array[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)] : node[step])
                ?? throw new ArgumentException($"nothing at {step} in {path}", nameof(path));
        }

        return (node, steps[^1]);
    }

    private static void Assert(bool condition, string path)
    {
        if (!condition)
        {
            throw new ArgumentException($"nothing to remove at {path}", nameof(path));
        }
    }
}
