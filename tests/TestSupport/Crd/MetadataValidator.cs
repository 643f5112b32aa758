using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>The apiserver's ObjectMeta checks (ValidateObjectMeta) for an object's <c>metadata</c>.</summary>
internal static class MetadataValidator
{
    private static readonly HashSet<string> StringFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
    };

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    };

    public static void Validate(JsonNode? metadata, bool namespaced, List<string> errors)
    {
        if (metadata is not JsonObject meta)
        {
            errors.Add(metadata is null ? "metadata: Required value" : "metadata: must be an object");
            return;
        }

        foreach (var (key, value) in meta)
        {
            if (!KnownFields.Contains(key))
            {
                errors.Add($"metadata.{key}: unknown field (not in ObjectMeta)");
            }
            else if (StringFields.Contains(key) && !JsonScalars.TryString(value, out _))
            {
                errors.Add($"metadata.{key}: must be of type string, got {JsonScalars.Show(value)}");
            }
        }

        CheckNames(meta, namespaced, errors);
        CheckStringMap(meta["labels"], "metadata.labels", errors, (key, value, path) =>
        {
            Add(errors, $"{path}[{key}]: key", KubernetesNames.CheckQualifiedName(key));
            Add(errors, $"{path}[{key}]: value {JsonScalars.Show(JsonValue.Create(value))}", KubernetesNames.CheckLabelValue(value));
        });
        var annotationBytes = 0;
        CheckStringMap(meta["annotations"], "metadata.annotations", errors, (key, value, path) =>
        {
            Add(errors, $"{path}[{key}]: key", KubernetesNames.CheckQualifiedName(key.ToLowerInvariant()));
            annotationBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        });
        if (annotationBytes > KubernetesNames.AnnotationsMaxTotalBytes)
        {
            errors.Add($"metadata.annotations: Too long: must have at most {KubernetesNames.AnnotationsMaxTotalBytes} bytes (is {annotationBytes})");
        }

        CheckFinalizers(meta["finalizers"], errors);
        OwnerReferences.Check(meta["ownerReferences"], errors);
        if (meta.ContainsKey("generation") && !JsonScalars.TryInteger(meta["generation"], out _))
        {
            errors.Add("metadata.generation: must be an integer");
        }
    }

    private static void CheckNames(JsonObject meta, bool namespaced, List<string> errors)
    {
        var hasName = JsonScalars.TryString(meta["name"], out var name) && name.Length > 0;
        var hasGenerateName = JsonScalars.TryString(meta["generateName"], out var generateName) && generateName.Length > 0;
        if (hasName)
        {
            Add(errors, $"metadata.name: Invalid value {JsonScalars.Show(meta["name"])}", KubernetesNames.CheckDnsSubdomain(name));
        }
        else if (!hasGenerateName)
        {
            errors.Add("metadata.name: Required value: name or generateName is required");
        }

        if (hasGenerateName)
        {
            // The apiserver appends a random suffix, so a trailing '-' is fine.
            var masked = generateName.EndsWith('-') ? generateName[..^1] + "a" : generateName;
            Add(errors, $"metadata.generateName: Invalid value {JsonScalars.Show(meta["generateName"])}", KubernetesNames.CheckDnsSubdomain(masked));
        }

        if (JsonScalars.TryString(meta["namespace"], out var ns) && ns.Length > 0)
        {
            if (namespaced)
            {
                Add(errors, $"metadata.namespace: Invalid value {JsonScalars.Show(meta["namespace"])}", KubernetesNames.CheckDnsLabel(ns));
            }
            else
            {
                errors.Add("metadata.namespace: not allowed on a cluster-scoped kind");
            }
        }
    }

    private static void CheckStringMap(JsonNode? node, string path, List<string> errors, Action<string, string, string> checkEntry)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject map)
        {
            errors.Add($"{path}: must be a map of string to string");
            return;
        }

        foreach (var (key, value) in map)
        {
            if (JsonScalars.TryString(value, out var text))
            {
                checkEntry(key, text, path);
            }
            else
            {
                errors.Add($"{path}[{key}]: must be of type string, got {JsonScalars.Show(value)}");
            }
        }
    }

    private static void CheckFinalizers(JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray finalizers)
        {
            errors.Add("metadata.finalizers: must be a list of strings");
            return;
        }

        for (var i = 0; i < finalizers.Count; i++)
        {
            if (JsonScalars.TryString(finalizers[i], out var finalizer))
            {
                Add(errors, $"metadata.finalizers[{i}]", KubernetesNames.CheckQualifiedName(finalizer));
            }
            else
            {
                errors.Add($"metadata.finalizers[{i}]: must be of type string");
            }
        }
    }

    private static void Add(List<string> errors, string prefix, IReadOnlyList<string> problems) =>
        errors.AddRange(problems.Select(p => $"{prefix}: {p}"));
}
