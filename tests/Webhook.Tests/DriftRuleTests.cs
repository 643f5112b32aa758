using System.Text.Json;
using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using AiGatewayModels.Webhook.Admission;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>The drift guard's rule, one case of DriftCases/cases.yaml at a time (the file says how a case reads).</summary>
public sealed class DriftRuleTests
{
    private const string Expander = "system:serviceaccount:ai-gateway-models:expander";
    private static readonly string CasesFile = Path.Combine(AppContext.BaseDirectory, "DriftCases", "cases.yaml");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in YamlJson.ReadObjectsFromFile(CasesFile).Where(c => c["case"] is not null))
        {
            data.Add((string)c["case"]!);
        }

        return data;
    }

    [Fact]
    public void There_are_cases_and_their_names_are_unique()
    {
        var names = YamlJson.ReadObjectsFromFile(CasesFile).Where(c => c["case"] is not null).Select(c => (string)c["case"]!).ToList();
        Assert.True(names.Count >= 40, $"{names.Count} cases");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Drift_case(string name)
    {
        var documents = YamlJson.ReadObjectsFromFile(CasesFile);
        var c = documents.Single(d => (string?)d["case"] == name);
        var baseObject = documents.Single(d => (string?)d["base"] == ((string?)c["base"] ?? "route") && d["object"] is not null)["object"]!;
        var operation = (string?)c["operation"] ?? "UPDATE";
        var old = MergePatch(baseObject, c["old"]);
        var updated = operation == "UPDATE" ? MergePatch(old, c["new"]) : operation == "CREATE" ? old : null;
        var request = new AdmissionRequest
        {
            Uid = "u",
            Kind = new GroupVersionKind
            {
                Group = ((string)old["apiVersion"]!).Contains('/', StringComparison.Ordinal) ? ((string)old["apiVersion"]!).Split('/')[0] : string.Empty,
                Version = ((string)old["apiVersion"]!).Split('/')[^1],
                Kind = (string)old["kind"]!,
            },
            Namespace = (string?)old["metadata"]!["namespace"],
            Name = (string?)old["metadata"]!["name"],
            Operation = operation,
            SubResource = (string?)c["subResource"],
            UserInfo = new UserInfo
            {
                Username = (string?)c["user"] ?? "alice",
                Groups = c["groups"] is JsonArray groups ? [.. groups.Select(g => (string)g!)] : ["system:authenticated"],
            },
            OldObject = operation == "CREATE" ? null : Element(old),
            Object = updated is null ? null : Element(updated),
        };
        var owner = DriftRule.ControllerOwner(request.OldObject);
        var state = owner is null ? OwnerState.None : ((string?)c["owner"] ?? "live") switch
        {
            "live" => OwnerState.Live,
            "gone" => OwnerState.Gone,
            "unknown" => OwnerState.Unknown,
            var other => throw new InvalidOperationException($"{name}: owner {other}"),
        };
        Assert.True(owner is not null || (string?)c["owner"] is null or "none", $"{name}: the case says owner {(string?)c["owner"]}, but the old object names none");

        var verdict = DriftRule.Judge(request, owner, state, Expander);

        Assert.True(verdict.Allowed == (bool)c["allowed"]!, $"{name}: allowed {verdict.Allowed}, message: {verdict.Message}");
        if ((string?)c["message"] is { } fragment)
        {
            Assert.Contains(fragment, verdict.Message ?? string.Empty, StringComparison.Ordinal);
        }
        else if (verdict.Allowed)
        {
            Assert.Null(verdict.Message);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(verdict.Message));
        }
    }

    [Fact]
    public void The_controller_owner_is_read_only_from_a_controller_reference_to_a_v1_ConfigMap()
    {
        static OwnerConfigMapRef? Of(string refs) => DriftRule.ControllerOwner(Element(JsonNode.Parse($"{{\"metadata\":{{\"ownerReferences\":{refs}}}}}")!));

        Assert.Equal(new OwnerConfigMapRef("models", "u1"), Of("""[{"apiVersion":"v1","kind":"Deployment","name":"x","uid":"u0","controller":true},{"apiVersion":"v1","kind":"ConfigMap","name":"models","uid":"u1","controller":true}]"""));
        Assert.Null(Of("""[{"apiVersion":"v1","kind":"ConfigMap","name":"models","uid":"u1","controller":"true"}]"""));
        Assert.Null(Of("""[{"apiVersion":"v1","kind":"ConfigMap","name":"models","controller":true}]"""));
        Assert.Null(Of("""[{"apiVersion":"v2","kind":"ConfigMap","name":"models","uid":"u1","controller":true}]"""));
        Assert.Null(Of("""{"apiVersion":"v1"}"""));
    }

    /// <summary>RFC 7386 JSON merge patch, as <c>kubectl patch --type merge</c> sends it.</summary>
    private static JsonNode MergePatch(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone() ?? target.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = result[key] is { } existing && value is JsonObject ? MergePatch(existing, value) : MergePatch(new JsonObject(), value);
            }
        }

        return result;
    }

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
