using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiGatewayModels.Common.Metrics;
using AiGatewayModels.Integration.Tests.ApiServer;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Expander;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Integration.Tests.Monitoring;

/// <summary>
/// The dashboard and the alert rules of deploy/manifests/components/monitoring ask only for metrics and labels that the
/// running programs expose: both are started against the real apiserver, driven until every series exists (a
/// reconcile, allowed and denied reviews), and scraped; every query, legend, template and grouping is checked against
/// the scrape plus the labels the Prometheus Operator adds to each target.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class MonitoringQueriesTests(ControlPlaneFixture controlPlane)
{
    private static readonly string Component = Path.Combine(RepoPaths.RepoRoot, "deploy", "manifests", "components", "monitoring");

    /// <summary>What Prometheus's Kubernetes service discovery (through a ServiceMonitor) adds to every series.</summary>
    private static readonly string[] OperatorTargetLabels = ["job", "instance", "namespace", "service", "pod", "container", "endpoint"];

    [Fact]
    public async Task Every_metric_and_label_in_the_dashboard_and_the_rules_is_exposed_by_the_running_programs()
    {
        var (expanderText, webhookText) = await ScrapeBothProgramsAsync();
        var scraped = ScrapedMetrics.Parse(expanderText, webhookText);
        var targetLabels = TargetLabels();

        // the process and GC figures (a metric set with no instruments of its own writes exactly those) on each program's
        // endpoint, not only on one of the two: the memory alerts and panels ask both
        using (var runtimeOnly = new MetricSet("runtime-figures"))
        {
            var runtime = ScrapedMetrics.Parse(runtimeOnly.Render()).Families.ToList();
            Assert.Contains("process_resident_memory_bytes", runtime);
            Assert.Contains("dotnet_gc_heap_size_bytes", runtime);
            foreach (var (program, text) in new[] { ("expander", expanderText), ("webhook", webhookText) })
            {
                var families = ScrapedMetrics.Parse(text).Families.ToHashSet(StringComparer.Ordinal);
                Assert.True(runtime.All(families.Contains), $"{program} lacks {string.Join(", ", runtime.Where(f => !families.Contains(f)))}");
            }
        }

        var queries = DashboardQueries().Concat(RuleQueries()).ToList();
        Assert.True(queries.Count >= 30, $"{queries.Count} queries");
        var problems = queries
            .SelectMany(q => PromQlNames.Problems(q.Expr, scraped, targetLabels, q.Templates).Select(p => $"{q.Where}: {p}\n    {q.Expr}"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // the dashboard covers what the issue lists, by the metrics it uses
        var used = queries.SelectMany(q => Regex.Matches(q.Expr, @"[a-z_]+").Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var metric in new[]
        {
            "expander_reconciles_total", "expander_reconcile_errors_total", "expander_objects_applied_total", "expander_objects_pruned_total",
            "expander_conflicts_total", "expander_queue_depth", "expander_leader", "webhook_admission_reviews_total",
            "webhook_admission_review_duration_seconds_bucket", "webhook_policy_valid", "expander_policy_valid", "process_resident_memory_bytes",
            "process_memory_limit_bytes", "expander_values_configmap_ready", "webhook_internal_errors_total",
        })
        {
            Assert.Contains(metric, used);
        }

        // and the check can fail: a misspelt name, a label the metric lacks, a grouping label nobody has
        Assert.Contains(PromQlNames.Problems("rate(expander_reconcile_error_total[5m])", scraped, targetLabels), p => p.Contains("no program exposes expander_reconcile_error_total", StringComparison.Ordinal));
        Assert.Contains(PromQlNames.Problems("expander_reconciles_total{outcome=\"done\"}", scraped, targetLabels), p => p.Contains("has no label outcome", StringComparison.Ordinal));
        Assert.Contains(PromQlNames.Problems("sum by (result) (webhook_admission_reviews_total)", scraped, targetLabels), p => p.Contains("label result is on none", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_alert_has_a_runbook_line_in_the_README_and_the_component_lists_its_files()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var alerts = Rules().Select(r => r["alert"]!.GetValue<string>()).ToList();
        Assert.Equal(7, alerts.Count);
        foreach (var alert in alerts)
        {
            Assert.Contains($"<a id=\"alert-{alert.ToLowerInvariant()}\"></a>`{alert}` |", readme, StringComparison.Ordinal);
        }

        var kustomization = File.ReadAllText(Path.Combine(Component, "kustomization.yaml"));
        Assert.Contains("kind: Component", kustomization, StringComparison.Ordinal);
        foreach (var file in new[] { "servicemonitor.yaml", "prometheusrule.yaml", "dashboard.json" })
        {
            Assert.Contains(file, kustomization, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Component, file)), file);
        }
    }

    private async Task<(string Expander, string Webhook)> ScrapeBothProgramsAsync()
    {
        var client = controlPlane.Client;
        var webhookNs = await controlPlane.CreateNamespaceAsync("monitoring-home");
        var ns = await controlPlane.CreateNamespaceAsync("monitoring");
        await using var webhook = await ModelsWebhookHost.StartAsync(controlPlane, webhookNs, "--expander-username", "admin"); // the test expander runs as the admin: only it may write the status
        await webhook.AddNamespaceAsync(ns);
        await webhook.WaitUntilCalledAsync(ns); // denied reviews
        await ValuesFixtures.CreateSourceSecretAsync(client, ns, "monitoring-test-key");
        await using var expander = RunningExpander.Start(controlPlane, ns);
        await ValuesFixtures.CreateValuesAsync(client, ns, ValuesFixtures.Values()); // allowed reviews, then a reconcile
        string expanderText = string.Empty;
        await Eventually.UntilAsync(
            async () => (expanderText = await expander.MetricsAsync()).Contains($"expander_values_configmap_ready{{configmap_namespace=\"{ns}\",configmap=\"{ValuesFixtures.Name}\"}} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the values ConfigMap is reported ready");
        return (expanderText, await webhook.GetTextAsync("/metrics"));
    }

    /// <summary>The operator's target labels plus the ServiceMonitors' targetLabels, as Prometheus sanitizes them.</summary>
    private static HashSet<string> TargetLabels()
    {
        var labels = new HashSet<string>(OperatorTargetLabels, StringComparer.Ordinal);
        foreach (var monitor in ManifestYaml.LoadDocuments(Path.Combine(Component, "servicemonitor.yaml")))
        {
            foreach (var label in monitor["spec"]!["targetLabels"]!.AsArray())
            {
                labels.Add(Regex.Replace(label!.GetValue<string>(), "[^a-zA-Z0-9_]", "_"));
            }
        }

        return labels;
    }

    private static IEnumerable<JsonObject> Rules() =>
        ManifestYaml.LoadDocuments(Path.Combine(Component, "prometheusrule.yaml"))
            .SelectMany(d => d["spec"]!["groups"]!.AsArray())
            .SelectMany(g => g!["rules"]!.AsArray())
            .Select(r => r!.AsObject());

    private static IEnumerable<Query> RuleQueries() =>
        Rules().Select(r => new Query(
            $"alert {r["alert"]}",
            r["expr"]!.GetValue<string>(),
            r["annotations"]!.AsObject().SelectMany(a => PromQlNames.TemplateLabels(a.Value!.GetValue<string>())).ToList()));

    private static IEnumerable<Query> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Component, "dashboard.json")))!;
        foreach (var panel in dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).Where(p => p["targets"] is not null))
        {
            foreach (var target in panel["targets"]!.AsArray())
            {
                yield return new Query(
                    $"panel \"{panel["title"]}\"",
                    target!["expr"]!.GetValue<string>(),
                    PromQlNames.TemplateLabels(target["legendFormat"]?.GetValue<string>()).ToList());
            }
        }

        // template variables: label_values(metric, label)
        foreach (var variable in dashboard["templating"]!["list"]!.AsArray().Where(v => v!["type"]!.GetValue<string>() == "query"))
        {
            var m = Regex.Match(variable!["definition"]!.GetValue<string>(), @"^label_values\((\w+),\s*(\w+)\)$");
            Assert.True(m.Success, $"variable {variable["name"]}: {variable["definition"]}");
            yield return new Query($"variable {variable["name"]}", m.Groups[1].Value, [m.Groups[2].Value]);
        }
    }

    private sealed record Query(string Where, string Expr, IReadOnlyList<string> Templates);
}
