using System.Text.Json.Nodes;

namespace AiGatewayModels.Benchmarks;

/// <summary>
/// The AdmissionReview the apiserver sends for a values ConfigMap, as the in-process benchmark and the load generator
/// both post it. Linked into both projects so that they measure the same request.
/// </summary>
internal static class ValuesConfigMapReview
{
    public static byte[] Build(string values, string operation) => System.Text.Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "00000000-0000-0000-0000-000000000001",
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "ConfigMap" },
            ["namespace"] = "team-a",
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "bench" },
            ["object"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "models", ["namespace"] = "team-a", ["annotations"] = new JsonObject { ["models.ai-gateway.io/values"] = "true" } },
                ["data"] = new JsonObject { ["values.yaml"] = values },
            },
        },
    }.ToJsonString());
}
