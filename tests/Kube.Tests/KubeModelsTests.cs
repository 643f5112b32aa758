using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace AiGatewayModels.Kube.Tests;

/// <summary>
/// The typed objects round-trip through our source-generated context as the apiserver writes them: a Lease read back
/// carries managedFields (an untyped fieldsV1) and MicroTime timestamps, and is written again on every renewal.
/// </summary>
public sealed class KubeModelsTests
{
    private const string Lease = """
        {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
         "metadata":{"name":"l","namespace":"ns","resourceVersion":"42",
           "managedFields":[{"manager":"other","operation":"Update","apiVersion":"coordination.k8s.io/v1","time":"2026-12-02T07:00:00Z",
             "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:holderIdentity":{},"f:renewTime":{}}}}]},
         "spec":{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2026-12-02T07:00:00.123456Z",
           "renewTime":"2026-12-02T07:00:10.654321Z","leaseTransitions":3}}
        """;

    [Fact]
    public void A_lease_as_the_apiserver_writes_it_is_written_back_unchanged()
    {
        var lease = JsonSerializer.Deserialize(Lease, KubeModels.Default.V1Lease)!;
        Assert.Equal(new DateTime(2026, 12, 2, 7, 0, 10, DateTimeKind.Utc).AddTicks(6543210), lease.Spec.RenewTime!.Value.ToUniversalTime());

        var written = JsonNode.Parse(JsonSerializer.Serialize(lease, KubeModels.Default.V1Lease))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Lease), written), written.ToJsonString());
    }
}
