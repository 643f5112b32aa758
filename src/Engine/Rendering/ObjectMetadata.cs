using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Model;
using static AiGatewayModels.Engine.Rendering.Json;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The metadata every generated object carries: our labels, the ConfigMap's namespace and, for the expander, its owner.</summary>
internal static class ObjectMetadata
{
    public static JsonObject Build(
        ValidatedModel model,
        string name,
        RenderOptions options,
        IEnumerable<KeyValuePair<string, string>>? extraLabels = null,
        IEnumerable<KeyValuePair<string, string>>? annotations = null)
    {
        var labels = new List<KeyValuePair<string, string>>
        {
            new(WellKnown.ManagedByLabel, WellKnown.ManagedByValue),
            new(WellKnown.SourceLabel, model.SourceName),
        };
        labels.AddRange((extraLabels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal));
        var annotationList = (annotations ?? []).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        return Obj(
            ("name", Str(name)),
            ("namespace", Str(model.Namespace)),
            ("labels", StringMap(labels)),
            ("annotations", annotationList.Count == 0 ? null : StringMap(annotationList)),
            ("ownerReferences", options.Owner is { } owner ? Arr(OwnerReference(owner)) : null));
    }

    public static JsonObject OwnerReference(OwnerConfigMap owner) => Obj(
        ("apiVersion", Str("v1")),
        ("kind", Str("ConfigMap")),
        ("name", Str(owner.Name)),
        ("uid", Str(owner.Uid)),
        ("controller", JsonValue.Create(true)),
        ("blockOwnerDeletion", JsonValue.Create(true)));

    public static JsonObject Manifest(string apiVersion, ResourceKind kind, JsonObject metadata, JsonObject spec) => Obj(
        ("apiVersion", Str(apiVersion)),
        ("kind", Str(kind.Kind)),
        ("metadata", metadata),
        ("spec", spec));
}
