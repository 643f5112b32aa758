using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Repository.Tests;

/// <summary>
/// The kinds the engine generates (<see cref="ResourceKind.All"/>) are the one list: the expander's RBAC and the drift
/// guard's webhook rules in deploy/manifests must name exactly them, so that a kind added to the registry and forgotten
/// in a manifest (or left in a manifest after its removal) fails here. docs/changing.md says what else to touch.
/// </summary>
public sealed class ManifestKindsTests
{
    private static readonly string Manifests = Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests");

    /// <summary>"group/plural" of every generated kind.</summary>
    private static readonly SortedSet<string> Generated = new(ResourceKind.All.Select(k => k.Group + "/" + k.Plural), StringComparer.Ordinal);

    [Fact]
    public void The_expander_may_write_and_prune_exactly_the_generated_kinds()
    {
        var role = Single("rbac-expander.yaml", "ClusterRole", "ai-gateway-models-expander");
        string[] verbs = ["get", "list", "watch", "create", "patch", "delete"];
        var granted = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var rule in role["rules"]!.AsArray().Select(r => r!.AsObject()))
        {
            foreach (var group in Strings(rule["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    var key = group + "/" + resource;
                    if (!granted.TryGetValue(key, out var set))
                    {
                        granted[key] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.UnionWith(Strings(rule["verbs"]));
                }
            }
        }

        // delete is what pruning needs, and the expander deletes nothing but generated objects
        Assert.Equal(Generated, new SortedSet<string>(granted.Where(g => g.Value.Contains("delete")).Select(g => g.Key), StringComparer.Ordinal));
        foreach (var kind in Generated)
        {
            Assert.True(verbs.All(granted[kind].Contains), $"{kind}: the expander needs {string.Join(", ", verbs)}; granted {string.Join(", ", granted[kind])}");
        }
    }

    [Fact]
    public void The_drift_guard_webhook_is_called_for_exactly_the_generated_kinds()
    {
        var configuration = Single("admission-webhooks.yaml", "ValidatingWebhookConfiguration", "ai-gateway-models");
        var guard = configuration["webhooks"]!.AsArray().Select(w => w!.AsObject()).Single(w => (string?)w["name"] == "generated.models.ai-gateway.io");
        var covered = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in guard["rules"]!.AsArray().Select(r => r!.AsObject()))
        {
            Assert.Equal(["UPDATE", "DELETE"], Strings(rule["operations"]));
            covered.UnionWith(Strings(rule["apiGroups"]).SelectMany(g => Strings(rule["resources"]).Select(r => g + "/" + r)));
        }

        Assert.Equal(Generated, covered);
    }

    private static JsonObject Single(string file, string kind, string name) =>
        YamlJson.ReadObjectsFromFile(Path.Combine(Manifests, file)).Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    private static List<string> Strings(JsonNode? array) => [.. (array as JsonArray ?? []).Select(v => (string)v!)];
}
