using System.Net;
using System.Text.Json.Nodes;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace AiGatewayModels.Integration.Tests.ApiServer;

/// <summary>Server-side apply: field ownership per field manager, and conflicts between managers.</summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ServerSideApplyTests(ControlPlaneFixture controlPlane)
{
    private const string First = "integration-first";
    private const string Second = "integration-second";

    [Fact]
    public async Task Apply_records_the_field_manager_and_a_second_manager_changing_its_field_gets_a_conflict()
    {
        var ns = await controlPlane.CreateNamespaceAsync("ssa");
        var client = controlPlane.Client;

        var created = await ApplyAsync(client, ns, First, "first", force: false);

        Assert.Equal("first", created.Data["owner"]);
        var entry = Assert.Single(created.Metadata.ManagedFields, m => m.Manager == First);
        Assert.Equal("Apply", entry.Operation);

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => ApplyAsync(client, ns, Second, "second", force: false));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var message = ApiErrors.MessageOf(conflict);
        Assert.Contains($"conflict with \"{First}\"", message, StringComparison.Ordinal);
        Assert.Contains(".data.owner", message, StringComparison.Ordinal);
        Assert.Equal("first", (await client.CoreV1.ReadNamespacedConfigMapAsync("applied", ns)).Data["owner"]);

        // with force, the second manager takes the field over
        var forced = await ApplyAsync(client, ns, Second, "second", force: true);
        Assert.Equal("second", forced.Data["owner"]);
        Assert.Contains(forced.Metadata.ManagedFields, m => m.Manager == Second && m.Operation == "Apply");
    }

    private static Task<V1ConfigMap> ApplyAsync(Kubernetes client, string ns, string manager, string owner, bool force)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "applied", ["namespace"] = ns },
            ["data"] = new JsonObject { ["owner"] = owner },
        };
        return client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: manager, force: force);
    }
}
