using System.Net;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>The installed upstream CRD schemas are enforced by the apiserver itself.</summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class CrdSchemaValidationTests(ControlPlaneFixture controlPlane)
{
    private const string AiGatewayGroup = "aigateway.envoyproxy.io";
    private const string EnvoyGatewayGroup = "gateway.envoyproxy.io";

    [Fact]
    public async Task AIServiceBackend_with_an_unknown_schema_name_is_rejected_with_the_apiservers_message()
    {
        var ns = await controlPlane.CreateNamespaceAsync("schema");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(ns, "aiservicebackends", AiServiceBackend("bad", "NotASchema")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var message = ApiErrors.MessageOf(error);
        Assert.StartsWith("AIServiceBackend.aigateway.envoyproxy.io \"bad\" is invalid: ", message, StringComparison.Ordinal);
        Assert.Contains("spec.schema.name: Unsupported value: \"NotASchema\": supported values: \"OpenAI\"", message, StringComparison.Ordinal);

        // the same object with a known schema name is accepted: the rejection was about that field alone
        await CreateAsync(ns, "aiservicebackends", AiServiceBackend("good", "OpenAI"));
    }

    [Fact]
    public async Task Backend_with_a_string_port_is_rejected_with_the_apiservers_message()
    {
        var ns = await controlPlane.CreateNamespaceAsync("schema");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(ns, "backends", Backend("bad", JsonValue.Create("eighty"))));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var message = ApiErrors.MessageOf(error);
        Assert.StartsWith("Backend.gateway.envoyproxy.io \"bad\" is invalid: ", message, StringComparison.Ordinal);
        // v1.20 names the list field without the index
        Assert.Contains("spec.endpoints.ip.port in body must be of type integer: \"string\"", message, StringComparison.Ordinal);

        await CreateAsync(ns, "backends", Backend("good", JsonValue.Create(8080)));
    }

    private Task<object> CreateAsync(string ns, string plural, JsonObject body)
    {
        var (group, version) = plural == "backends" ? (EnvoyGatewayGroup, "v1alpha1") : (AiGatewayGroup, "v1beta1");
        return controlPlane.Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, group, version, ns, plural);
    }

    private static JsonObject AiServiceBackend(string name, string schemaName) => new()
    {
        ["apiVersion"] = $"{AiGatewayGroup}/v1beta1",
        ["kind"] = "AIServiceBackend",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["schema"] = new JsonObject { ["name"] = schemaName },
            ["backendRef"] = new JsonObject { ["name"] = "upstream", ["kind"] = "Backend", ["group"] = EnvoyGatewayGroup },
        },
    };

    private static JsonObject Backend(string name, JsonNode port) => new()
    {
        ["apiVersion"] = $"{EnvoyGatewayGroup}/v1alpha1",
        ["kind"] = "Backend",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["endpoints"] = new JsonArray(new JsonObject { ["ip"] = new JsonObject { ["address"] = "10.1.2.3", ["port"] = port } }),
        },
    };
}
