using System.CommandLine;

namespace AiGatewayModels.Expander.Cli;

/// <summary>The command tree. Handlers get plain option records and writers, so tests run them in-process.</summary>
internal static class CommandLine
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var file = new Option<string>("--file", "-f") { Description = "values ConfigMap manifest or raw values.yaml ('-' for stdin)", Required = true };
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

        var render = new Command("render", "render the gateway resources for values, offline") { file, ns, name, policy, apiVersions, ownerUid };
        render.SetAction(r => RenderCommand.Run(
            new RenderCommand.Options(r.GetValue(file)!, r.GetValue(ns), r.GetValue(name), r.GetValue(policy), r.GetValue(apiVersions) ?? [], r.GetValue(ownerUid)),
            stdin, stdout, stderr));
        var validate = new Command("validate", "check values against every rule and the policy; prints findings only") { file, ns, name, policy };
        validate.SetAction(r => ValidateCommand.Run(new ValidateCommand.Options(r.GetValue(file)!, r.GetValue(ns), r.GetValue(name), r.GetValue(policy)), stdin, stderr));
        var convert = new Command("convert", "wrap a models chart values.yaml into an annotated values ConfigMap") { file, requiredNs, requiredName, policy };
        convert.SetAction(r => ConvertCommand.Run(
            new ConvertCommand.Options(r.GetValue(file)!, r.GetValue(requiredNs)!, r.GetValue(requiredName)!, r.GetValue(policy)), stdin, stdout, stderr));

        var root = new RootCommand("ai-gateway-models expander: renders and validates models values offline") { render, validate, convert };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine(error.Message);
            }

            stderr.WriteLine("run 'expander --help' for usage");
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
}
