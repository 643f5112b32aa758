using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Expander.Diff;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Cli;

/// <summary>
/// <c>diff</c>: what applying values would change in the cluster, like <c>kubectl diff</c>. Exit codes as kubectl diff's:
/// 0 no differences, 1 differences, 2 an error (the values are refused, the cluster cannot be read, a bad option).
/// Strictly read-only (<see cref="ClusterDiff"/>).
/// </summary>
internal static class DiffCommand
{
    public const int Differences = 1;
    public const int Error = 2;

    public sealed record Options(
        ValuesInput Values, string? Namespace, string? Name, string? Policy, string? Kubeconfig, string? Context,
        string PolicyNamespace, string PolicyConfigMap, string Output, bool? Color);

    public static int Run(Options o, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (o.Output is not ("diff" or "json"))
        {
            throw new UsageException($"-o {o.Output}: the output is diff (default) or json");
        }

        if (InputLoader.Load(o.Values, o.Namespace, o.Name, stdin, stderr) is not { } loaded)
        {
            return Error;
        }

        if (loaded.Layers is { Ok: false } unmerged)
        {
            // no values to send to the cluster's admission: the layers themselves are the error
            DiagnosticPrinter.Print([.. unmerged.Diagnostics, .. unmerged.Warnings], stderr);
            return Error;
        }

        KubeClient client;
        try
        {
            client = KubeClient.Connect(new KubeTarget(o.Kubeconfig, o.Context), "ai-gateway-models-diff");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or System.Security.Cryptography.CryptographicException or UriFormatException or k8s.Exceptions.KubeConfigException)
        {
            throw new UsageException("cannot connect: " + e.Message);
        }

        using (client)
        {
            try
            {
                return RunAsync(o, loaded, client, stdin, stdout, stderr).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException)
            {
                stderr.WriteLine($"error: {(e is KubeApiException k ? $"{(int)k.Status} {k.Reason}: {k.ApiMessage}" : e.Message)}");
                return Error;
            }
        }
    }

    private static async Task<int> RunAsync(Options o, LoadedValues loaded, KubeClient client, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var policy = o.Policy is not null ? InputLoader.LoadPolicy(o.Policy, stdin) : await ClusterPolicyAsync(client, o.PolicyNamespace, o.PolicyConfigMap);
        var document = loaded.Document;
        var evaluation = InputLoader.Evaluate(loaded, policy);
        var report = new DiffReport();
        report.Errors.AddRange(evaluation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        report.Warnings.AddRange(evaluation.Diagnostics.Where(d => !d.IsError).Select(d => d.ToString()));
        using var discovery = new ApiDiscovery(client);
        var diff = new ClusterDiff(client, discovery);
        // the cluster's admission first, whatever the engine found: the webhook's own words (and its view of the
        // other values ConfigMaps) are what an apply would meet
        if (await diff.AdmitAsync(document, report, CancellationToken.None) && evaluation.Model is { } model)
        {
            var cluster = await diff.RunAsync(document, model, policy, CancellationToken.None);
            report.Entries.AddRange(cluster.Entries);
            report.ProjectedSecrets.AddRange(cluster.ProjectedSecrets);
            report.Errors.AddRange(cluster.Errors);
            report.Warnings.AddRange(cluster.Warnings);
        }

        if (o.Output == "json")
        {
            stdout.WriteLine(report.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine() }));
        }
        else
        {
            Print(report, stdout, stderr, o.Color ?? (!Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null));
        }

        return report.Errors.Count > 0 ? Error : report.HasDifferences ? Differences : 0;
    }

    /// <summary>The policy ConfigMap the webhook and the expander follow (read once); absent → the default policy.</summary>
    private static async Task<ModelsPolicy> ClusterPolicyAsync(KubeClient client, string ns, string name)
    {
        var cm = await client.GetAsync(ApiResource.ConfigMaps, ns, name, CancellationToken.None);
        if (cm?.Obj("data").Str(PolicyReader.DataKey) is not { } text)
        {
            return ModelsPolicy.Default;
        }

        var (policy, diagnostics) = PolicyReader.Read(text);
        return policy ?? throw new UsageException(
            $"the policy ConfigMap {ns}/{name} is invalid (the programs keep their last good policy, which diff cannot know); pass --policy FILE:\n" +
            string.Join("\n", diagnostics.Select(d => "  " + d)));
    }

    /// <summary>Diffs on stdout (coloured on a terminal); conflicts, prunes, Secrets, findings and the summary on stderr.</summary>
    private static void Print(DiffReport report, TextWriter stdout, TextWriter stderr, bool color)
    {
        foreach (var entry in report.Entries.Where(e => e.Diff.Length > 0))
        {
            foreach (var line in entry.Diff.TrimEnd('\n').Split('\n'))
            {
                stdout.WriteLine(!color ? line : line switch
                {
                    ['+', '+', '+', ..] or ['-', '-', '-', ..] => "\u001b[1m" + line + "\u001b[0m",
                    ['+', ..] => "\u001b[32m" + line + "\u001b[0m",
                    ['-', ..] => "\u001b[31m" + line + "\u001b[0m",
                    ['@', '@', ..] => "\u001b[36m" + line + "\u001b[0m",
                    _ => line,
                });
            }
        }

        foreach (var e in report.Errors)
        {
            stderr.WriteLine("error: " + e);
        }

        foreach (var w in report.Warnings)
        {
            stderr.WriteLine("warning: " + w);
        }

        foreach (var entry in report.Entries.Where(e => e.Change is Change.Conflict or Change.Prune))
        {
            stderr.WriteLine($"{(entry.Change == Change.Conflict ? "conflict" : "prune")}: {entry.Detail}");
        }

        foreach (var s in report.ProjectedSecrets)
        {
            stderr.WriteLine($"secret: {s}; its data is never read or printed");
        }

        foreach (var line in report.Summary())
        {
            stderr.WriteLine(line);
        }
    }
}
