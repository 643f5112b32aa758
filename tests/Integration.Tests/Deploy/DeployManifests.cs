using System.Text.Json.Nodes;

namespace AiGatewayModels.Integration.Tests.Deploy;

/// <summary>The objects of <c>deploy/manifests</c> and the rewrites the v1.20 test control plane needs.</summary>
internal static class DeployManifests
{
    public const string Namespace = "ai-gateway-models";
    public const string WebhookUser = "system:serviceaccount:ai-gateway-models:webhook";
    public const string ExpanderUser = "system:serviceaccount:ai-gateway-models:expander";

    public static string Kind(this JsonObject o) => (string?)o["kind"] ?? string.Empty;

    public static string Name(this JsonObject o) => (string?)o["metadata"]?["name"] ?? string.Empty;

    public static string Id(this JsonObject o) => $"{o.Kind()}/{o.Name()}";

    public static JsonObject Single(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.Single(o => o.Kind() == kind && o.Name() == name);

    /// <summary>A <c>v1/List</c> of deep copies, for <c>kubectl apply -f -</c>.</summary>
    public static string AsList(IEnumerable<JsonObject> objects) =>
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) }.ToJsonString();

    /// <summary>
    /// The manifests as a v1.20 apiserver can take them, and what was changed:
    /// - <c>matchConditions</c> of admission webhooks (Kubernetes 1.28 beta, 1.30 GA) are removed: v1.20's
    ///   admissionregistration/v1 schema has no such field, and server-side apply refuses fields it does not declare;
    /// - PodDisruptionBudgets go from <c>policy/v1</c> (1.21+, the only version current clusters serve) to
    ///   <c>policy/v1beta1</c>, which has the same <c>minAvailable</c> and <c>selector</c> fields.
    /// Everything else is sent as it is.
    /// </summary>
    public static (List<JsonObject> Objects, List<string> Rewrites) ForV120(IEnumerable<JsonObject> objects)
    {
        var rewrites = new List<string>();
        var result = new List<JsonObject>();
        foreach (var original in objects)
        {
            var o = (JsonObject)original.DeepClone();
            if (o.Kind() is "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration")
            {
                foreach (var webhook in (o["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (webhook.Remove("matchConditions"))
                    {
                        rewrites.Add($"{o.Id()} webhook {(string?)webhook["name"]}: matchConditions removed");
                    }
                }
            }

            if (o.Kind() == "PodDisruptionBudget" && (string?)o["apiVersion"] == "policy/v1")
            {
                o["apiVersion"] = "policy/v1beta1";
                rewrites.Add($"{o.Id()}: policy/v1 -> policy/v1beta1");
            }

            result.Add(o);
        }

        return (result, rewrites);
    }
}
