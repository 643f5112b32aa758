using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary><c>metadata.ownerReferences</c>: each has apiVersion, kind, name and uid, booleans where booleans go, and at most one is the controller.</summary>
internal static class OwnerReferences
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion",
    };

    public static void Check(JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray references)
        {
            errors.Add("metadata.ownerReferences: must be a list");
            return;
        }

        var controllers = 0;
        for (var i = 0; i < references.Count; i++)
        {
            var path = $"metadata.ownerReferences[{i}]";
            if (references[i] is not JsonObject reference)
            {
                errors.Add($"{path}: must be an object");
                continue;
            }

            foreach (var key in reference.Select(p => p.Key).Where(k => !Fields.Contains(k)))
            {
                errors.Add($"{path}.{key}: unknown field (not in OwnerReference)");
            }

            foreach (var required in new[] { "apiVersion", "kind", "name", "uid" })
            {
                if (!JsonScalars.TryString(reference[required], out var text) || text.Length == 0)
                {
                    errors.Add($"{path}.{required}: Required value: must be a non-empty string");
                }
            }

            if (JsonScalars.TryString(reference["apiVersion"], out var apiVersion) && apiVersion.Split('/').Length > 2)
            {
                errors.Add($"{path}.apiVersion: Invalid value {JsonScalars.Show(reference["apiVersion"])}: must be 'version' or 'group/version'");
            }

            foreach (var flag in new[] { "controller", "blockOwnerDeletion" })
            {
                if (reference.ContainsKey(flag) && JsonScalars.Kind(reference[flag]) is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{path}.{flag}: must be of type boolean");
                }
            }

            if (JsonScalars.TryBool(reference["controller"], out var isController) && isController)
            {
                controllers++;
            }
        }

        if (controllers > 1)
        {
            errors.Add($"metadata.ownerReferences: Invalid value: only one reference can have Controller set to true (found {controllers})");
        }
    }
}
