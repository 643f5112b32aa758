using System.CommandLine;
using System.CommandLine.Help;

namespace AiGatewayModels.Expander.Cli;

/// <summary>The command tree. Handlers get plain option records and writers, so tests run them in-process.</summary>
internal static class CommandLine
{
    /// <summary>
    /// The kubectl plugin convention: kubectl runs <c>kubectl-models</c> from PATH for <c>kubectl models ...</c>, with the
    /// remaining arguments as they were typed. The same binary under that name (a symlink or a copy) is the plugin.
    /// </summary>
    public const string PluginExecutable = "kubectl-models";

    /// <summary>The name the program was started under (argv[0]): <c>kubectl-models</c> makes it the kubectl plugin.</summary>
    public static string ProgramName(string? argv0)
    {
        var name = Path.GetFileName(argv0 ?? string.Empty);
        return name.StartsWith(PluginExecutable, StringComparison.Ordinal) ? PluginExecutable : "expander";
    }

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) => Run(args, stdin, stdout, stderr, "expander");

    /// <param name="program"><c>expander</c>, or <see cref="PluginExecutable"/> for <c>kubectl models</c> (no <c>run</c>: a controller is not a kubectl verb).</param>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string program)
    {
        // every line of standard error passes MessageGuard, whatever command wrote it
        using var guarded = new GuardedWriter(stderr);
        return RunGuarded(args, stdin, stdout, guarded, program);
    }

    private static int RunGuarded(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string program)
    {
        var plugin = program == PluginExecutable;
        var usageName = plugin ? "kubectl models" : "expander";
        var file = new Option<string[]>("--file", "-f")
        {
            Description = "values ConfigMap manifest or raw values.yaml ('-' for stdin); several are merged in order, as helm -f does",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "set values as helm --set does: a.b=v, escaped dots a\\.b=v, list[0]=v, a={x,y}, several comma-separated; true/false/null/integers typed",
            AllowMultipleArgumentsPerToken = false,
        };
        var setString = new Option<string[]>("--set-string")
        {
            Description = "as --set, but every value is a string (applied after every --set, as in helm)",
            AllowMultipleArgumentsPerToken = false,
        };
        ValuesInput Values(ParseResult r) => new(r.GetValue(file) ?? [], r.GetValue(set) ?? [], r.GetValue(setString) ?? []);
        var ns = new Option<string?>("--namespace", "-n") { Description = "namespace for a raw values file (default: default)" };
        var name = new Option<string?>("--name") { Description = "ConfigMap name for a raw values file (default: models)" };
        var policy = new Option<string?>("--policy") { Description = "policy YAML file (default: the built-in policy)" };
        var apiVersions = new Option<string[]>("--api-versions", "-a")
        {
            Description = "API versions the target cluster serves (group/version[/Kind]), as in helm; selects older versions",
            AllowMultipleArgumentsPerToken = true,
        };
        var ownerUid = new Option<string?>("--owner-uid") { Description = "add an ownerReference to the ConfigMap with this UID" };
        var requiredNs = new Option<string>("--namespace", "-n") { Description = "namespace of the ConfigMap", Required = true };
        var requiredName = new Option<string>("--name") { Description = "name of the ConfigMap", Required = true };

        var render = new Command("render", "render the gateway resources for values, offline") { file, set, setString, ns, name, policy, apiVersions, ownerUid };
        render.SetAction(r => RenderCommand.Run(
            new RenderCommand.Options(Values(r), r.GetValue(ns), r.GetValue(name), r.GetValue(policy), r.GetValue(apiVersions) ?? [], r.GetValue(ownerUid)),
            stdin, stdout, stderr));
        var validate = new Command("validate", "check values against every rule and the policy; prints findings only") { file, set, setString, ns, name, policy };
        validate.SetAction(r => ValidateCommand.Run(new ValidateCommand.Options(Values(r), r.GetValue(ns), r.GetValue(name), r.GetValue(policy)), stdin, stderr));
        var convert = new Command("convert", "wrap a models chart values.yaml into an annotated values ConfigMap") { file, set, setString, requiredNs, requiredName, policy };
        convert.SetAction(r => ConvertCommand.Run(
            new ConvertCommand.Options(Values(r), r.GetValue(requiredNs)!, r.GetValue(requiredName)!, r.GetValue(policy)), stdin, stdout, stderr));

        var root = plugin
            ? Root(PluginExecutable, "ai-gateway-models as a kubectl plugin, called as 'kubectl models COMMAND': render, validate and convert values offline")
            : Root("expander", "ai-gateway-models expander: renders and validates models values offline; run keeps a cluster in sync");
        root.Subcommands.Add(render);
        root.Subcommands.Add(validate);
        root.Subcommands.Add(convert);
        var schema = new Command("schema", $"write the JSON Schema of the values format (for editors; the repository keeps it in {Engine.Values.ValuesSchema.RepositoryPath})");
        schema.SetAction(_ =>
        {
            stdout.Write(Engine.Values.ValuesSchema.Write());
            return ExitCodes.Valid;
        });
        root.Subcommands.Add(schema);
        root.Subcommands.Add(DiffCommandOptions(file, set, setString, Values, name, policy, stdin, stdout, stderr));
        if (!plugin)
        {
            root.Subcommands.Add(RunCommandOptions(stderr));
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine(error.Message);
            }

            stderr.WriteLine($"run '{usageName} --help' for usage");
            return ExitCodes.UsageOrIo;
        }

        try
        {
            // Each action returns its own exit code; --help and --version return 0.
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine(ex.Message);
            return ExitCodes.UsageOrIo;
        }
    }

    /// <summary>A root command named as the program was called (RootCommand would take the name of the executable file).</summary>
    private static Command Root(string name, string description)
    {
        var root = new Command(name, description);
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        return root;
    }

    private static Command DiffCommandOptions(
        Option<string[]> file, Option<string[]> set, Option<string[]> setString, Func<ParseResult, ValuesInput> values, Option<string?> name, Option<string?> policy, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: KUBECONFIG, else ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (default: its current-context)" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "namespace for a raw values file (default: default)" };
        var policyNs = new Option<string>("--policy-namespace") { Description = "namespace of the cluster's policy ConfigMap (read when --policy is not given)", DefaultValueFactory = _ => "ai-gateway-models" };
        var policyName = new Option<string>("--policy-configmap") { Description = "name of the cluster's policy ConfigMap", DefaultValueFactory = _ => Common.Policy.PolicyWatch.DefaultName };
        var output = new Option<string>("--output", "-o") { Description = "diff (a unified diff per object) or json", DefaultValueFactory = _ => "diff" };
        var color = new Option<bool?>("--color") { Description = "colour the diff (default: when stdout is a terminal and NO_COLOR is unset)" };
        var diff = new Command("diff", "what applying the values would change in the cluster, read-only, like kubectl diff (exit 0 none, 1 differences, 2 error)")
        {
            file, set, setString, ns, name, policy, kubeconfig, context, policyNs, policyName, output, color,
        };
        diff.SetAction(r => DiffCommand.Run(
            new DiffCommand.Options(values(r), r.GetValue(ns), r.GetValue(name), r.GetValue(policy), r.GetValue(kubeconfig), r.GetValue(context),
                r.GetValue(policyNs)!, r.GetValue(policyName)!, r.GetValue(output)!, r.GetValue(color)),
            stdin, stdout, stderr));
        return diff;
    }

    private static Command RunCommandOptions(TextWriter stderr)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: KUBECONFIG, else the in-cluster service account, else ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (default: its current-context)" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "the expander's namespace, for the Lease and the policy ConfigMap (default: POD_NAMESPACE)" };
        var watchNs = new Option<string?>("--namespaces", "--watch-namespace") { Description = "only watch and reconcile these namespaces, comma-separated, e.g. team-a,team-b (default: all namespaces; the namespaced install sets it)" };
        var metrics = new Option<string>("--metrics-bind-address") { Description = "address for /metrics and /healthz", DefaultValueFactory = _ => "127.0.0.1:8081" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "elect a leader on a Lease, so that replicas never reconcile at once", DefaultValueFactory = _ => true };
        var policyName = new Option<string>("--policy-configmap") { Description = "name of the policy ConfigMap in the expander's namespace", DefaultValueFactory = _ => Common.Policy.PolicyWatch.DefaultName };
        var workers = new Option<int>("--workers") { Description = "ConfigMaps reconciled in parallel", DefaultValueFactory = _ => 4 };
        var resync = new Option<int>("--resync-period") { Description = "seconds between full resyncs", DefaultValueFactory = _ => 600 };
        var run = new Command("run", "the controller: keeps every values ConfigMap's objects applied, in sync and pruned") { kubeconfig, context, ns, watchNs, metrics, leaderElect, policyName, workers, resync };
        run.SetAction(r => RunCommand.Run(
            new RunCommand.Options(r.GetValue(kubeconfig), r.GetValue(context), r.GetValue(ns), r.GetValue(watchNs), r.GetValue(metrics)!, r.GetValue(leaderElect), r.GetValue(policyName)!, r.GetValue(workers), r.GetValue(resync)),
            stderr));
        return run;
    }
}
