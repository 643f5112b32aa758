using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The objects one backend becomes: where it is, how AI Gateway speaks to it and its TLS (its credentials: <see cref="SecurityPolicyObjects"/>).</summary>
internal static class BackendObjects
{
    public const string EnvoyGatewayGroup = "gateway.envoyproxy.io";

    /// <summary>An IP literal (when the policy allows them) is an <c>ip</c> endpoint: the fqdn pattern would take <c>127.1</c> as a name.</summary>
    public static JsonObject Backend(ValidBackend b) => Obj(
        ("endpoints", Arr(b.Address is { } address
            ? Obj(("ip", Obj(("address", Str(address)), ("port", Int(b.Port)))))
            : Obj(("fqdn", Obj(("hostname", Str(b.Hostname)), ("port", Int(b.Port))))))));

    public static JsonObject AIServiceBackend(ValidBackend b) => Obj(
        ("schema", Obj(("name", Str(b.Schema)), ("version", Str(b.SchemaVersion)), ("prefix", Str(b.Prefix)))),
        ("backendRef", Obj(("name", Str(b.ResourceName)), ("kind", Str("Backend")), ("group", Str(EnvoyGatewayGroup)))));

    public static JsonObject BackendTLSPolicy(ValidBackend b) => Obj(
        ("targetRefs", Arr(Obj(("group", Str(EnvoyGatewayGroup)), ("kind", Str("Backend")), ("name", Str(b.ResourceName))))),
        ("validation", Obj(("hostname", Str(b.TlsHostname)), ("wellKnownCACertificates", Str("System")))));
}
