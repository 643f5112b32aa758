using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.Webhook.Tests.Support;

/// <summary>AdmissionReviews shaped as kube-apiserver sends them, and what the webhook answered.</summary>
public static class Reviews
{
    public const string GoodValues = AiGatewayModels.TestSupport.Cases.SampleValues.TwoBackendsOneModel;

    public static JsonObject ConfigMap(string name, string? values, string ns = "team-a", bool annotated = true,
        IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null)
    {
        var ann = new JsonObject();
        if (annotated)
        {
            ann["models.ai-gateway.io/values"] = "true";
        }

        foreach (var (k, v) in annotations ?? new Dictionary<string, string>())
        {
            ann[k] = v;
        }

        var meta = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = Guid.NewGuid().ToString(),
            ["creationTimestamp"] = null,
        };
        if (labels is not null)
        {
            meta["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }

        if (ann.Count > 0)
        {
            meta["annotations"] = ann;
        }

        var cm = new JsonObject { ["kind"] = "ConfigMap", ["apiVersion"] = "v1", ["metadata"] = meta };
        if (values is not null)
        {
            cm["data"] = new JsonObject { ["values.yaml"] = values };
        }

        return cm;
    }

    public static JsonObject Review(
        string operation, JsonObject? obj, JsonObject? oldObject = null, string group = "", string version = "v1", string kind = "ConfigMap",
        string resource = "configmaps", string user = "kubernetes-admin", bool dryRun = false, string? subResource = null, string? uid = null)
    {
        var meta = (obj ?? oldObject)?["metadata"];
        var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind };
        var gvr = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource };
        var request = new JsonObject
        {
            ["uid"] = uid ?? Guid.NewGuid().ToString(),
            ["kind"] = gvk,
            ["resource"] = gvr,
            ["requestKind"] = gvk.DeepClone(),
            ["requestResource"] = gvr.DeepClone(),
            ["name"] = (string?)meta?["name"],
            ["namespace"] = (string?)meta?["namespace"],
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:masters", "system:authenticated") },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObject?.DeepClone(),
            ["dryRun"] = dryRun,
            ["options"] = new JsonObject { ["kind"] = operation == "DELETE" ? "DeleteOptions" : operation == "UPDATE" ? "UpdateOptions" : "CreateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
        };
        if (subResource is not null)
        {
            request["subResource"] = subResource;
        }

        return new JsonObject { ["kind"] = "AdmissionReview", ["apiVersion"] = "admission.k8s.io/v1", ["request"] = request };
    }

    public static async Task<Answer> PostAsync(this WebhookServer server, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await server.Client.PostAsync(new Uri(server.BaseUrl, path), content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, text);
    }

    public static Task<Answer> PostAsync(this WebhookServer server, string path, JsonObject review) => server.PostAsync(path, review.ToJsonString());
}

/// <summary>The HTTP status and body; <see cref="Response"/> is the AdmissionReview response when there is one.</summary>
public sealed record Answer(int Status, string Body)
{
    public JsonNode? Response => Status == 200 ? JsonNode.Parse(Body)?["response"] : null;

    public bool Allowed => (bool?)Response?["allowed"] ?? false;

    public string Message => (string?)Response?["status"]?["message"] ?? string.Empty;

    public IReadOnlyList<string> Warnings => Response?["warnings"]?.AsArray().Select(w => (string)w!).ToList() ?? [];

    /// <summary>The JSONPatch, decoded; null when there is none.</summary>
    public JsonArray? Patch => Response?["patch"] is { } p ? JsonNode.Parse(Convert.FromBase64String((string)p!))!.AsArray() : null;

    public override string ToString() => $"{Status} {Body}";

    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };
}
