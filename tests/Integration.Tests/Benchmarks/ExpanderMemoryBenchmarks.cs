using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Benchmarks;

/// <summary>
/// The figures of docs/benchmarks.md "Expander memory at the ceilings": the Native AOT expander (<c>EXPANDER_BINARY</c>,
/// bench/expander-memory.sh publishes it) runs as its own process in a memory cgroup limited like its Deployment
/// (512 MiB), with the GC setting of deploy/manifests/expander.yaml, and reconciles one values ConfigMap at the largest
/// size the default policy allows (1,000 models, 5,000 objects), and a namespace at its ceilings (two of them). Asserts that every object is applied and that the
/// process stayed under the limit (the kernel would have killed it past the limit: the cgroup's failure count is read
/// too); prints peak resident memory, the cgroup's peak and the GC's figures. Not in the default test run.
/// </summary>
[Trait("Category", "Benchmark")]
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderMemoryBenchmarks(ControlPlaneFixture controlPlane, ITestOutputHelper output)
{
    private const long Limit = 512L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    /// <param name="configMaps">1: one ConfigMap at the ceilings per ConfigMap; 2: a namespace at its ceilings (2,000 models, 10,000 objects).</param>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Values_at_the_ceilings_stay_under_the_memory_limit(int configMaps)
    {
        var binary = Environment.GetEnvironmentVariable("EXPANDER_BINARY");
        Assert.True(File.Exists(binary), "set EXPANDER_BINARY to the Native AOT expander (bench/expander-memory.sh does: hack/publish.sh)");
        var ns = await controlPlane.CreateNamespaceAsync("exp-memory");
        var ceilings = SizeCeilings.Default;
        var allValues = Enumerable.Range(0, configMaps).Select(i => Values($"c{i}", ceilings.ModelsPerConfigMap, backends: 250)).ToList();
        var models = 0;
        var objects = 0;
        foreach (var values in allValues)
        {
            var model = ValuesEvaluator.Evaluate(new ValuesDocument(ns, ValuesFixtures.Name, values)).Model;
            Assert.NotNull(model);
            Assert.InRange(Renderer.ObjectCount(model), ceilings.ObjectsPerConfigMap - 10, ceilings.ObjectsPerConfigMap);
            models += model.DeclaredModels;
            objects += Renderer.ObjectCount(model);
            await NamedSecrets.CreateAsync(controlPlane.Client, ns, values, "bench-key");
        }

        Assert.True(models <= ceilings.ModelsPerNamespace && objects <= ceilings.ObjectsPerNamespace, "within the namespace's ceilings");

        using var cgroup = MemoryCgroup.Create($"ai-gateway-models-bench-{Environment.ProcessId}", Limit);
        var port = FreePorts.Take(1)[0];
        var gcPercent = ShippedGcHeapHardLimitPercent();
        using var expander = ProcessHandle.Start("expander", "/bin/sh",
            ["-c", $"echo $$ > {cgroup.Procs} && exec env DOTNET_GCHeapHardLimitPercent={gcPercent} \"$0\" \"$@\"", binary!, "run",
             "--kubeconfig", controlPlane.KubeconfigPath, "--namespace", ns, "--watch-namespace", ns, "--leader-elect", "false",
             "--metrics-bind-address", $"127.0.0.1:{port}"],
            Path.Combine(controlPlane.WorkDir, $"expander-memory-{ns}.log"));
        using var http = new HttpClient();
        await Eventually.UntilAsync(async () => (await TryGetAsync(http, $"http://127.0.0.1:{port}/metrics"))?.Contains("expander_values_configmaps 0", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(60), "the expander is watching");
        var idle = Rss(expander.Id);

        var watch = Stopwatch.StartNew();
        long peakSampled = 0;
        for (var i = 0; i < configMaps; i++)
        {
            await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, allValues[i], $"models-{i}");
        }

        await Eventually.UntilAsync(
            async () =>
            {
                Assert.False(expander.HasExited, $"the expander exited (killed at its memory limit?); cgroup failures: {cgroup.Failures}");
                peakSampled = Math.Max(peakSampled, Rss(expander.Id));
                foreach (var i in Enumerable.Range(0, configMaps))
                {
                    if ((await ValuesFixtures.StatusAsync(controlPlane.Client, ns, $"models-{i}"))?["ready"]?.GetValue<bool>() != true)
                    {
                        return false;
                    }
                }

                return true;
            },
            Timeout,
            "every status ready");
        var elapsed = watch.Elapsed;
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        var hwm = Status(expander.Id, "VmHWM:");
        Assert.False(expander.HasExited);
        Assert.Equal(0, cgroup.Failures);
        Assert.True(hwm < Limit, $"peak resident memory {Mib(hwm)} reached the limit {Mib(Limit)}");
        // the GC derived its heap limit from the cgroup's, at the shipped share: outside a container's cgroup namespace the
        // program's cgroup is not the root of the mount, so the limit gauge falls back to the GC's figure, which is that limit
        var heapLimit = Limit * int.Parse(gcPercent, NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 100;
        Assert.Equal(heapLimit, Sample(metrics, "process_memory_limit_bytes"));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"configmaps={configMaps} models={models} objects={objects} values={allValues.Sum(v => Encoding.UTF8.GetByteCount(v)) / 1024} KiB create→ready={elapsed.TotalSeconds:F0} s " +
            $"limit={Mib(Limit)} DOTNET_GCHeapHardLimitPercent={gcPercent} (GC heap limit {Mib(heapLimit)}) idle RSS={Mib(idle)} peak RSS (VmHWM)={Mib(hwm)} ({100.0 * hwm / Limit:F0} % of the limit) " +
            $"sampled peak={Mib(peakSampled)} cgroup peak (incl. page cache)={Mib(cgroup.Peak)} cgroup failures={cgroup.Failures} " +
            $"after: RSS={Mib(Rss(expander.Id))} GC heap={Mib(Sample(metrics, "dotnet_gc_heap_size_bytes"))} GC committed={Mib(Sample(metrics, "dotnet_gc_committed_bytes"))} " +
            $"cached objects={Sample(metrics, "expander_cached_objects")} load={File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    /// <summary>The value deploy/manifests/expander.yaml sets, so that the benchmark measures what ships.</summary>
    private static string ShippedGcHeapHardLimitPercent()
    {
        var deployment = YamlJson.ReadObjectsFromFile(Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests", "expander.yaml")).First(o => (string?)o["kind"] == "Deployment");
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        return (string)env.Single(e => (string?)e!["name"] == "DOTNET_GCHeapHardLimitPercent")!["value"]!;
    }

    /// <summary>
    /// The largest values the default policy allows (names prefixed with <paramref name="p"/>): <paramref name="models"/> models over <paramref name="backends"/>
    /// API-key backends (4 objects each), each model with a route, a BackendTrafficPolicy (passive health checks), a
    /// RateLimitPolicy and a TokenRateLimitPolicy (per-client request and token limits).
    /// </summary>
    private static string Values(string p, int models, int backends)
    {
        var sb = new StringBuilder("""
            gatewayRef: {name: ai-gateway}
            rateLimiting: {engine: Kuadrant, clientHeader: x-user-id}
            modelDefaults:
              limits:
                - {name: user-daily-tokens, tokens: 200000, window: 24h, per: client}
                - {name: user-requests, requests: 60, window: 1m, per: client}
              healthCheck:
                passive: {consecutive5XxErrors: 3, consecutiveGatewayErrors: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
            backends:

            """);
        for (var b = 0; b < backends; b++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {p}b{b:D3}: {{resourceName: {p}b{b:D3}, schema: OpenAI, fqdn: {{hostname: api{b:D3}.example.com, port: 443}}, apiKeySecretRef: {{name: bench-key, key: apiKey}}}}\n");
        }

        sb.Append("models:\n");
        for (var m = 0; m < models; m++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {p}m{m:D4}: {{backends: {{one: {{ref: {p}b{m % backends:D3}}}, two: {{ref: {p}b{(m + 1) % backends:D3}}}}}}}\n");
        }

        return sb.ToString();
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static long Rss(int pid) => Status(pid, "VmRSS:");

    /// <summary>A kB line of /proc/PID/status, in bytes.</summary>
    private static long Status(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

    private static long Sample(string metrics, string name) =>
        (long)double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F0} MiB");

    /// <summary>A memory cgroup (v1 or v2) below this process's own, with a limit; removed on dispose.</summary>
    private sealed class MemoryCgroup : IDisposable
    {
        private readonly string dir;
        private readonly bool v2;

        private MemoryCgroup(string dir, bool v2)
        {
            this.dir = dir;
            this.v2 = v2;
        }

        public string Procs => Path.Combine(dir, "cgroup.procs");

        public long Peak => ReadLong(v2 ? "memory.peak" : "memory.max_usage_in_bytes");

        /// <summary>Times the limit was hit (v1: charges refused; v2: the max event count).</summary>
        public long Failures => v2
            ? long.Parse(File.ReadLines(Path.Combine(dir, "memory.events")).Single(l => l.StartsWith("max ", StringComparison.Ordinal))[4..], CultureInfo.InvariantCulture)
            : ReadLong("memory.failcnt");

        public static MemoryCgroup Create(string name, long limit)
        {
            var v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
            var own = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).First(p => v2 ? p[0] == "0" : p[1].Split(',').Contains("memory"))[2];
            var dir = Path.Combine(v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory", own.TrimStart('/'), name);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, v2 ? "memory.max" : "memory.limit_in_bytes"), limit.ToString(CultureInfo.InvariantCulture));
            return new MemoryCgroup(dir, v2);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(dir); // a cgroup directory goes with rmdir once its processes have exited
            }
            catch (IOException)
            {
                // still busy: the kernel removes nothing, the next run uses another name
            }
        }

        private long ReadLong(string file) => long.Parse(File.ReadAllText(Path.Combine(dir, file)).Trim(), CultureInfo.InvariantCulture);
    }
}
