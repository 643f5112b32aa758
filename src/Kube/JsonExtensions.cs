using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>Terse reads of untyped Kubernetes objects.</summary>
public static class JsonExtensions
{
    public static string? Str(this JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonObject? Obj(this JsonNode? node, string key) => node is JsonObject o ? o[key] as JsonObject : null;

    public static string? Name(this JsonObject o) => o.Obj("metadata").Str("name");

    public static string? Namespace(this JsonObject o) => o.Obj("metadata").Str("namespace");

    public static string? Uid(this JsonObject o) => o.Obj("metadata").Str("uid");

    public static string? ResourceVersion(this JsonObject o) => o.Obj("metadata").Str("resourceVersion");

    public static string? Label(this JsonObject o, string key) => o.Obj("metadata").Obj("labels").Str(key);

    public static string? Annotation(this JsonObject o, string key) => o.Obj("metadata").Obj("annotations").Str(key);
}
