using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine;

/// <summary>
/// The result of judging one set of values: every finding (or, with a limit on what is kept, the first ones and the
/// count of the rest), and the model when there is no error.
/// </summary>
public sealed class Evaluation(IReadOnlyList<Diagnostic> diagnostics, ValidatedModel? model, YNode? root, int omittedErrors = 0, int omittedWarnings = 0)
{
    private string? valuesHash;

    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Errors found past the limit on what is kept: counted, not in <see cref="Diagnostics"/>.</summary>
    public int OmittedErrors { get; } = omittedErrors;

    /// <summary>Warnings found past the limit on what is kept.</summary>
    public int OmittedWarnings { get; } = omittedWarnings;

    public ValidatedModel? Model { get; } = model;

    /// <summary>
    /// The hash of the normalised values, null when they are not even YAML. Computed on first use: validation alone
    /// (the webhook's hottest path) never needs it, mutation and reconciliation do.
    /// </summary>
    public string? ValuesHash => root is null ? null : valuesHash ??= Engine.ValuesHash.Compute(root);

    public bool IsValid => Model is not null;

    /// <summary>False when the text was not even YAML (then there is no tree and no <see cref="ValuesHash"/>).</summary>
    public bool IsYaml => root is not null;

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

/// <summary>
/// The one data path that the CLI, the webhook and the expander share: values text → tree → spec → rules → model.
/// </summary>
public static class ValuesEvaluator
{
    /// <summary>Every rule family, in the order their findings are reported.</summary>
    public static readonly IReadOnlyList<Func<ValuesSpec, RuleContext, IEnumerable<Diagnostic>>> RuleFamilies =
    [
        NameRules.Check,
        GatewayRules.Check,
        BackendRules.Check,
        CredentialTypeRules.Check,
        CloudCredentialRules.Check,
        HostnameRules.Check,
        ModelRules.Check,
        RateLimitRules.Check,
        LimitRules.Check,
        PriceRules.Check,
        BudgetRules.Check,
        TrafficPolicyRules.Check,
    ];

    /// <param name="kept">
    /// How many errors and how many warnings to keep; the rest are counted (<see cref="Evaluation.OmittedErrors"/>).
    /// The CLI and the expander keep all; the webhook, which lists only the first few, keeps few so that a document of
    /// 100,000 findings does not hold them all in memory while it is judged.
    /// </param>
    public static Evaluation Evaluate(ValuesDocument document, ModelsPolicy? policy = null, YamlLimits? limits = null, int kept = int.MaxValue)
    {
        var parsed = BoundedYamlReader.Read(document.ValuesYaml, "the values document", limits);
        if (!parsed.Ok)
        {
            // Text the reader could not read may still hold a key the ConfigMap would store.
            return new Evaluation([.. parsed.Diagnostics, .. CredentialRules.CheckText(document.ValuesYaml, null)], null, null);
        }

        var root = parsed.Root!;
        var context = new RuleContext(policy ?? ModelsPolicy.Default, document.Namespace, document.Name);

        // Credential findings come first and win their path: the binder's "unknown key apiKey" says less. The scalars are
        // scanned with their paths (escapes and line folding make values the text does not spell); the text for what no
        // scalar holds: comments, tags, anchors, directives. In a text the block parser read verbatim there are no tags,
        // anchors or directives, so its comments are all there is to scan besides the scalars.
        var credentialFindings = CredentialRules.Check(root);
        var textFindings = parsed.ScalarsVerbatim
            ? CredentialRules.CheckComments(document.ValuesYaml, root)
            : CredentialRules.CheckText(document.ValuesYaml, root);
        var bag = new DiagnosticBag(kept);
        bag.AddRange(credentialFindings);
        bag.AddRange(textFindings);
        var binderBag = new DiagnosticBag(kept);
        var spec = ValuesBinder.Bind(root, binderBag);
        if (credentialFindings.Count == 0)
        {
            bag.AddRange(binderBag.Items);
        }
        else
        {
            var flagged = credentialFindings.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
            bag.AddRange(binderBag.Items.Where(d => !flagged.Contains(d.Path)));
        }

        bag.AddOmitted(binderBag);

        foreach (var family in RuleFamilies)
        {
            bag.AddRange(family(spec, context));
        }

        bag.AddRange(parsed.Warnings);
        var diagnostics = CredentialRules.Redact(bag.Items, root);
        if (parsed.HasOrigins)
        {
            diagnostics = [.. diagnostics.Select(d => d.Path.Length > 0 && Provenance.Describe(root, d.Path) is { } origin ? d with { Origin = origin } : d)];
        }

        return bag.HasErrors
            ? new Evaluation(diagnostics, null, root, bag.OmittedErrors, bag.OmittedWarnings)
            : new Evaluation(diagnostics, ModelNormalizer.Normalize(spec, context), root, 0, bag.OmittedWarnings);
    }
}
