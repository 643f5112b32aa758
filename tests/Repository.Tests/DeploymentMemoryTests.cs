using System.Globalization;
using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Repository.Tests;

/// <summary>
/// The expander runs under a memory limit, and the GC's hard heap limit is derived from it explicitly
/// (<c>DOTNET_GCHeapHardLimitPercent</c>, hexadecimal like every DOTNET_GC* setting): a share that leaves room for what the
/// GC does not count, so that the kernel never kills a process whose GC would still have collected. (The webhook's heap
/// limit is compiled into its binary: src/Webhook/Webhook.csproj.)
/// </summary>
public sealed class DeploymentMemoryTests
{
    [Fact]
    public void The_heap_hard_limit_is_a_share_of_the_container_memory_limit()
    {
        const string file = "expander.yaml";
        const string name = "expander";
        var deployment = YamlJson.ReadObjectsFromFile(Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests", file))
            .Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]?["name"] == name);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.NotNull((string?)container["resources"]?["limits"]?["memory"]);

        var env = container["env"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var percent = env.SingleOrDefault(e => (string?)e["name"] == "DOTNET_GCHeapHardLimitPercent");
        Assert.True(percent is not null, $"{file}: no DOTNET_GCHeapHardLimitPercent");
        var text = (string)percent["value"]!;
        // hexadecimal digits without "0x": Native AOT ignores "0x4B" without a word (the runtime's default applies), and "75" would be 117 %
        Assert.Matches("^[0-9A-Fa-f]+$", text);
        Assert.InRange(int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture), 50, 75);

        // a fixed limit would not follow the container's limit when it is raised
        Assert.DoesNotContain(env, e => (string?)e["name"] is "DOTNET_GCHeapHardLimit" or "DOTNET_gcHeapHardLimit");
    }
}
