using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>The case directories themselves: complete, well-formed, copied to the output, and covering every message family.</summary>
public sealed class CaseCatalogTests
{
    /// <summary>
    /// One distinctive fragment of every error message the engine can produce for values or a ConfigMap manifest.
    /// Each must be produced by at least one invalid case, so that deleting a case cannot silently drop a rule's coverage.
    /// </summary>
    private static readonly string[] ErrorFamilies =
    [
        // YAML reading
        "is not valid YAML at line", "the parser could not go on", "duplicate key", "expands to more than", "YAML nodes (aliases and merge keys included)", "characters (aliases and merge keys included)", "refers to no anchor defined before it",
        "nests deeper than", "holds more than one YAML document", "custom YAML tag", "is not allowed here; remove the tag", "a merge key (<<) takes a mapping or a list of mappings", "is an ordinary key, not a merge key",
        "to merge several mappings, list them", "this is chart 0.1.4's", "if this is chart 0.1.4's `modelDefaults", "a block that only holds anchors goes under a key starting with x-",
        "the values document is empty", "is not a plain string", "the values must be a mapping",

        // shape and types
        "unknown key", "(did you mean", "expected a mapping with the keys", "expected a mapping of", "expected a string, got", "expected an integer, got",
        "write it without quotes", "expected true or false", "expected a list, got", "expected a single value", "expected a string value",
        "expected a list of {limit, window}", "expected a duration, got", "a backend needs resourceName", "a backend slot needs ref", "a model needs backends",

        // required fields
        "required field gatewayRef is missing", "required field name is missing", "required field resourceName is missing", "required field schema is missing",
        "required field fqdn is missing", "required field hostname is missing", "required field port is missing", "required field apiKeySecretRef is missing",
        "required field key is missing", "required field ref is missing", "required field backends is missing", "required field rates is missing",
        "required field limit is missing", "required field window is missing", "required field limits is missing",

        // credentials
        "this value looks like a literal credential", "this key looks like a literal credential", "a literal credential does not belong in values",

        // names
        "must be a DNS label", "is already the resourceName of", "is the one the expander writes for", "cannot be the value of the models.ai-gateway.io/source label",

        // gateway
        "is not a valid Gateway name", "is not a valid namespace", "is not a valid listener name", "is not allowed for namespace",

        // backends
        "is not a valid resource name", "unknown schema", "is not allowed by the policy (allowed:",
        "is not a URL path prefix", "is not a valid Secret name", "is not a valid Secret data key", "is not a schema version",

        // credentials: which type, the CRD's one-of rules, shapes, the policy
        "does not authenticate with", "required field awsCredentials is missing", "required field gcpCredentials is missing",
        "are both set, but a BackendSecurityPolicy holds exactly one credential type", "credentialsFile and oidcExchangeToken are both set",
        "give exactly one of clientSecretRef", "clientSecretRef and oidcExchangeToken are both set", "credentialsFile and workloadIdentityFederationConfig are both set",
        "is not an AWS region", "is not an IAM role ARN", "is not an AWS profile name", "is not an audience", "is not a Microsoft Entra client ID",
        "is not a Microsoft Entra tenant", "is not a GCP project ID", "is not a Vertex AI location", "is not a GCP project number",
        "is not a workload identity ID", "is not a service account ID", "is not an https URL", "the URL holds a user name or password",
        "is not an OAuth client ID", "is not an OAuth scope", "expected a reference to a Secret", "required field secretRef is missing",
        "required field oidc is missing", "required field provider is missing", "required field oidcExchangeToken is missing",
        "credential type APIKey is not allowed by the policy", "the policy requires keyless credentials", "which the policy grants to no values in namespace",
        "is one that AI Gateway writes for its own credential rotation", "AI Gateway writes the Secrets named ai-eg-bsp-",

        // hostnames
        "is a URL; give the host name only", "is an IP address", "is not a valid hostname", "is denied by the policy", "is not among the policy's allowed hostnames",
        "is not a port", "is not a valid TLS hostname", "would send its API key in plaintext",

        // models
        "enabled backend(s); at least", "an HTTPRoute rule takes at most 16", "is not defined under backends", "is already matched by models.",
        "cannot be matched", "is negative; priorities start at 0", "is out of range; use 0 to 1,000,000", "is not a duration", "days are not a unit here",
        "a duration needs a unit", "is out of range; use 0 to 15", "is not an HTTP status code", "unknown retry trigger",

        // rate limits
        "allows no requests", "is not a Kuadrant window", "become the same Kuadrant identifier", "no limits are given", "no rates are given",
        "exceeds the policy's maximum", "is too large; use at most", "a limit name needs 1 to 63 characters", "is not a valid label key",
        "is not a valid label value", "is set by the expander and cannot be overridden", "is not a valid annotation key",

        // limits (rateLimiting, modelDefaults.limits, models.*.limits)
        "is not an Envoy Gateway window", "is not a Kuadrant window: Kuadrant counts in durations", "weeks are not a unit here", "the unit is written",
        "counts total tokens only", "a limit counts one thing: requests, tokens or a budget", "a limit needs what it counts", "tokenType belongs to a limit of tokens",
        "allows no tokens", "unknown token type", "a limit per model counts no clients", "is not a limit name", "expected a list of limits",
        "is not a usable header name", "write it in lowercase", "carries a credential", "is the header AI Gateway sets to the model id", "unknown engine",
        "is not allowed by the policy (allowed: Kuadrant)", "the policy does not allow Kuadrant", "the policy forbids per-client limits",
        "the policy requires a per-client limit", "is not among the policy's client headers", "tokens per window", "can count per window",
        "(one global rule per limit)", "another limit of model", "is longer than 63 characters",

        // prices and budgets (price, budget, rateLimiting.acrossModels)
        "a price needs input and output per million tokens", "is negative; a price per million tokens", "a millionth of a currency unit per million tokens",
        "per million tokens is absurd", "is not a currency code", "one set of values prices and budgets in one currency", "is not the policy's currency",
        "exceeds the policy's maximum of", "expected a decimal number", "cannot be read as an amount", "required field currency is missing",
        "allows no spending", "budgets are counted in millionths", "its limit is a uint32", "cannot be counted exactly", "remove it: a budget is charged",
        "budgets are counted by Envoy Gateway only", "exceeds the policy's maximum budget", "is charged by the budget at", "the policy requires a per-client budget",
        "the policy does not allow limits across models", "limits across models are counted by Envoy Gateway only",
        "a policy may only target a Gateway in its own namespace", "is named after the Gateway", "and Envoy Gateway's header match holds",

        // the traffic policy (failover, healthCheck, streamIdleTimeout)
        "crashes Envoy (SIGSEGV)", "is not a percentage", "consecutive errors", "would end every stream at once",

        // issue 14: secrets in YAML syntax, internal names, addresses, nulls, distinct backends, degenerate values
        "outside any value", "is null (written as ~, null or nothing after the colon)", "distinct enabled backend(s)",
        "is a single-label name", "does not end in a public top-level domain", "a special-use domain", "no policy allows it as a backend",
        "the policy denies private ranges", "set tlsHostname to the name in the server's certificate", "is a zero-length window",
        "is zero, which", "is shorter than baseInterval", "is not a URL path prefix: it", "cannot be matched: it", "is listed twice",
        "are allowed here", "is out of range: no",

        // ConfigMap manifests
        "a ConfigMap has apiVersion: v1", "required field metadata.name is missing", "is not a valid ConfigMap name", "the ConfigMap is not marked as models values",
        "the ConfigMap holds no values",
    ];

    private static readonly string[] WarningFamilies =
    [
        "differs from fqdn.hostname", "have gaps; Envoy needs contiguous levels", "has weight 0, so that level receives no traffic",
        "failover settings have no effect", "ignored: rateLimitPolicy.enabled is false", "is not used by any enabled model", "ignored: only data.",
        "no models are defined", "is the Bedrock endpoint of", "is the Vertex AI endpoint of", "AI Gateway ignores schemaVersion for schema",
        "so AI Gateway sends an empty api-version", "looks like a project ID, but the audience",
        "every limit here counts per client", "two engines then count", "accepted because the policy says knownCrashPatterns: Warn",
        "ejects no backend", "never ends a stream", "is not failed over", "leaves no time to fail over", "are the same provider",
        "written before the merge key (<<) at line",
        "is not a calendar month", "is not a calendar year", "starts on Thursday", "but it is counted per", "is less than one plausible request costs",
        "costs more than an uncached one", "no limit counts money",
    ];

    [Fact]
    public void There_are_at_least_60_invalid_and_12_valid_cases()
    {
        Assert.True(CaseFiles.Names(CaseFiles.Invalid).Count >= 60, $"only {CaseFiles.Names(CaseFiles.Invalid).Count} invalid cases in {CaseFiles.OutputRoot}");
        Assert.True(CaseFiles.Names(CaseFiles.Valid).Count >= 12, $"only {CaseFiles.Names(CaseFiles.Valid).Count} valid cases in {CaseFiles.OutputRoot}");
    }

    [Theory]
    [InlineData(CaseFiles.Invalid)]
    [InlineData(CaseFiles.Valid)]
    public void The_output_holds_exactly_the_cases_of_the_source_tree(string kind)
    {
        var source = CaseFiles.Names(kind, CaseFiles.SourceRoot);
        var output = CaseFiles.Names(kind);
        Assert.NotEmpty(source);
        Assert.True(source.SequenceEqual(output, StringComparer.Ordinal),
            $"{kind}: only in the source tree: [{string.Join(", ", source.Except(output))}]; only in {CaseFiles.OutputRoot} (stale, delete it and rebuild): [{string.Join(", ", output.Except(source))}]");
    }

    [Theory]
    [InlineData(CaseFiles.Invalid)]
    [InlineData(CaseFiles.Valid)]
    public void Every_case_directory_is_well_formed(string kind)
    {
        var problems = new List<string>();
        foreach (var name in CaseFiles.Names(kind))
        {
            var files = Directory.EnumerateFiles(CaseFiles.Dir(kind, name)).Select(f => Path.GetFileName(f)!).ToList();
            problems.AddRange(files.Where(f => !CaseFiles.KnownFiles.Contains(f)).Select(f => $"{kind}/{name}: unknown file {f} (known: {string.Join(", ", CaseFiles.KnownFiles)})"));
            if (files.Contains(CaseFiles.ValuesFile) == files.Contains(CaseFiles.ConfigMapFile))
            {
                problems.Add($"{kind}/{name}: needs exactly one of {CaseFiles.ValuesFile} and {CaseFiles.ConfigMapFile}");
            }

            if (kind == CaseFiles.Invalid && !files.Contains(CaseFiles.ExpectedFile))
            {
                problems.Add($"{kind}/{name}: has no {CaseFiles.ExpectedFile}");
            }

            if (kind == CaseFiles.Invalid && files.Contains(CaseFiles.GoldenFile))
            {
                problems.Add($"{kind}/{name}: an invalid case renders nothing, so it has no {CaseFiles.GoldenFile}");
            }

            try
            {
                _ = ExpectedLine.Parse(CaseFiles.ReadOptional(kind, name, CaseFiles.ExpectedFile));
            }
            catch (FormatException ex)
            {
                problems.Add($"{kind}/{name}/{CaseFiles.ExpectedFile}: {ex.Message}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_bundled_example_is_a_case_verbatim()
    {
        // files named *invalid* are the examples of a rejection (as in ValuesCase.BundledExamples): invalid cases
        var examples = Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, "deploy", "examples"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(examples);
        List<string> ConfigMaps(string dir) => CaseFiles.Names(dir)
            .Select(n => CaseFiles.ReadOptional(dir, n, CaseFiles.ConfigMapFile))
            .OfType<string>()
            .ToList();
        var valid = ConfigMaps(CaseFiles.Valid);
        var invalid = ConfigMaps(CaseFiles.Invalid);
        foreach (var example in examples)
        {
            var isInvalid = Path.GetFileName(example).Contains("invalid", StringComparison.Ordinal);
            Assert.True((isInvalid ? invalid : valid).Contains(File.ReadAllText(example)),
                isInvalid
                    ? $"{example} is not the configmap.yaml of any invalid case; copy it into Cases/invalid/<name>/configmap.yaml with an expected.txt"
                    : $"{example} is not the configmap.yaml of any valid case; copy it into Cases/valid/<name>/configmap.yaml and run with UPDATE_GOLDEN=1");
        }
    }

    [Fact]
    public void Every_error_message_family_is_produced_by_some_invalid_case()
    {
        var messages = CaseFiles.Names(CaseFiles.Invalid)
            .SelectMany(n => CaseFiles.Evaluate(CaseFiles.Invalid, n).Diagnostics)
            .Where(d => d.IsError)
            .Select(d => d.Message)
            .ToList();
        var uncovered = ErrorFamilies.Where(f => !messages.Exists(m => m.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.True(uncovered.Count == 0, "no invalid case produces an error containing:\n  " + string.Join("\n  ", uncovered));
    }

    [Fact]
    public void Every_warning_family_is_produced_by_some_case()
    {
        var messages = CaseFiles.Names(CaseFiles.Invalid).Select(n => (CaseFiles.Invalid, n))
            .Concat(CaseFiles.Names(CaseFiles.Valid).Select(n => (CaseFiles.Valid, n)))
            .SelectMany(c => CaseFiles.Evaluate(c.Item1, c.n).Diagnostics)
            .Where(d => d.Severity == Severity.Warning)
            .Select(d => d.Message)
            .ToList();
        var uncovered = WarningFamilies.Where(f => !messages.Exists(m => m.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.True(uncovered.Count == 0, "no case produces a warning containing:\n  " + string.Join("\n  ", uncovered));
    }
}
