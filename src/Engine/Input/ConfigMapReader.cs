using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Input;

/// <summary>
/// Reads a values ConfigMap manifest (YAML or JSON, as kubectl takes it) into a <see cref="ValuesDocument"/>.
/// </summary>
public static class ConfigMapReader
{
    public const string DefaultNamespace = "default";

    /// <summary>True when the text is a Kubernetes ConfigMap manifest rather than a raw values file.</summary>
    public static bool IsConfigMapManifest(YNode root) =>
        root is YMapping m && m.Get("kind") is YScalar { Value: "ConfigMap" } && m.Get("apiVersion") is YScalar;

    public static (ValuesDocument? Document, IReadOnlyList<Diagnostic> Diagnostics) Read(YNode root)
    {
        var bag = new DiagnosticBag();
        if (root is not YMapping m)
        {
            bag.Error(string.Empty, $"expected a ConfigMap manifest, got {root.KindName}");
            return (null, bag.Items);
        }

        if (m.Get("apiVersion") is not YScalar { Value: "v1" })
        {
            bag.Error("apiVersion", "a ConfigMap has apiVersion: v1");
        }

        var metadata = m.Get("metadata") as YMapping;
        var name = (metadata?.Get("name") as YScalar)?.Value;
        var ns = (metadata?.Get("namespace") as YScalar)?.Value;
        var uid = (metadata?.Get("uid") as YScalar)?.Value;
        if (string.IsNullOrEmpty(name))
        {
            bag.Error("metadata.name", "required field metadata.name is missing");
        }
        else if (!KubernetesNames.IsDnsSubdomain(name))
        {
            bag.Error("metadata.name", $"{Shown.Value(name)} is not a valid ConfigMap name; use lowercase letters, digits, '-' and '.'");
        }

        if (!string.IsNullOrEmpty(ns) && !KubernetesNames.IsDnsLabel(ns))
        {
            bag.Error("metadata.namespace", $"{Shown.Value(ns)} is not a valid namespace; use lowercase letters, digits and '-'");
        }

        var annotation = ((metadata?.Get("annotations") as YMapping)?.Get(WellKnown.ValuesAnnotation) as YScalar)?.Value;
        if (annotation != "true")
        {
            bag.Error(FieldPath.Child("metadata.annotations", WellKnown.ValuesAnnotation), $"the ConfigMap is not marked as models values; add the annotation {WellKnown.ValuesAnnotation}: \"true\"");
        }

        var data = m.Get("data") as YMapping;
        var values = data?.Get(WellKnown.ValuesDataKey);
        string? text = null;
        if (values is YScalar s)
        {
            text = s.Value;
        }
        else
        {
            bag.Error(FieldPath.Child("data", WellKnown.ValuesDataKey), $"the ConfigMap holds no values; put the values YAML into data.\"{WellKnown.ValuesDataKey}\" as a string (a YAML block scalar: |)");
        }

        foreach (var (key, value) in data?.Entries ?? [])
        {
            if (key.Value == WellKnown.ValuesDataKey)
            {
                continue;
            }

            if (CredentialDetector.LooksLikeCredential(key.Value) || (value is YScalar v && CredentialDetector.LooksLikeCredential(v.Value)))
            {
                bag.Error(FieldPath.Child("data", key.Value), "this data entry looks like a literal credential (withheld); a ConfigMap is readable by anyone who may read ConfigMaps, so keep it in a Secret");
            }
            else
            {
                bag.Warning(FieldPath.Child("data", key.Value), $"ignored: only data.\"{WellKnown.ValuesDataKey}\" is read");
            }
        }

        // The values ConfigMap's own metadata ends up in the generated objects' labels and namespace: no credential there either.
        foreach (var (field, metadataText) in new[] { ("metadata.name", name), ("metadata.namespace", ns) })
        {
            if (CredentialDetector.LooksLikeCredential(metadataText))
            {
                bag.Error(field, "this name looks like a literal credential (withheld); name the ConfigMap and its namespace after what they hold");
            }
        }

        if (bag.HasErrors)
        {
            return (null, bag.Items);
        }

        return (new ValuesDocument(string.IsNullOrEmpty(ns) ? DefaultNamespace : ns, name!, text!, uid), bag.Items);
    }

}
