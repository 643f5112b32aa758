using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The objects one backend becomes: where it is, how AI Gateway speaks to it, its credentials and its TLS.</summary>
internal static class BackendObjects
{
    public const string EnvoyGatewayGroup = "gateway.envoyproxy.io";

    public static JsonObject Backend(ValidBackend b) => Obj(
        ("endpoints", Arr(Obj(("fqdn", Obj(("hostname", Str(b.Hostname)), ("port", Int(b.Port))))))));

    public static JsonObject AIServiceBackend(ValidBackend b) => Obj(
        ("schema", Obj(("name", Str(b.Schema)), ("prefix", Str(b.Prefix)))),
        ("backendRef", Obj(("name", Str(b.ResourceName)), ("kind", Str("Backend")), ("group", Str(EnvoyGatewayGroup)))));

    /// <summary>AI Gateway reads data key <c>apiKey</c> of the named Secret, in the policy's namespace, and injects it per provider.</summary>
    public static JsonObject BackendSecurityPolicy(ValidBackend b)
    {
        var (type, field) = b.Schema switch
        {
            "Anthropic" => ("AnthropicAPIKey", "anthropicAPIKey"),
            "AzureOpenAI" => ("AzureAPIKey", "azureAPIKey"),
            _ => ("APIKey", "apiKey"),
        };
        return Obj(
            ("targetRefs", Arr(Obj(("group", Str("aigateway.envoyproxy.io")), ("kind", Str("AIServiceBackend")), ("name", Str(b.ResourceName))))),
            ("type", Str(type)),
            (field, Obj(("secretRef", Obj(("name", Str(b.PolicySecretName)))))));
    }

    public static JsonObject BackendTLSPolicy(ValidBackend b) => Obj(
        ("targetRefs", Arr(Obj(("group", Str(EnvoyGatewayGroup)), ("kind", Str("Backend")), ("name", Str(b.ResourceName))))),
        ("validation", Obj(("hostname", Str(b.TlsHostname)), ("wellKnownCACertificates", Str("System")))));
}
