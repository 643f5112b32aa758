using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Layers;
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

        // Credential findings in the text are for what no scalar holds: comments, tags, anchors, directives. In a text
        // the block parser read verbatim there are no tags, anchors or directives, so its comments are all there is to
        // scan besides the scalars.
        var root = parsed.Root!;
        var textFindings = parsed.ScalarsVerbatim
            ? CredentialRules.CheckComments(document.ValuesYaml, root)
            : CredentialRules.CheckText(document.ValuesYaml, root);
        return Judge(root, textFindings, parsed.Warnings, parsed.HasOrigins, new RuleContext(policy ?? ModelsPolicy.Default, document.Namespace, document.Name), kept);
    }

    /// <summary>
    /// Values given in layers (several <c>-f</c> files, <c>--set</c>): the merged tree judged as one document, each
    /// finding saying which file or <c>--set</c> gave the value (<see cref="ValuesLayering"/>).
    /// </summary>
    public static Evaluation Evaluate(string ns, string name, LayeredValues values, ModelsPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Root is not { } root
            ? new Evaluation([.. values.Diagnostics, .. values.Warnings], null, null)
            : Judge(root, values.TextFindings, values.Warnings, hasOrigins: true, new RuleContext(policy ?? ModelsPolicy.Default, ns, name), int.MaxValue);
    }

    private static Evaluation Judge(YNode root, IReadOnlyList<Diagnostic> textFindings, IReadOnlyList<Diagnostic> readerWarnings, bool hasOrigins, RuleContext context, int kept)
    {
        // Credential findings come first and win their path: the binder's "unknown key apiKey" says less. The scalars are
        // scanned with their paths (escapes and line folding make values the text does not spell).
        var credentialFindings = CredentialRules.Check(root);
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

        // past the policy's ceiling of models no rule family runs: the values are refused for their size whatever else they
        // hold, and a tenant cannot make every review and reconcile check thousands of models
        if (SizeRules.Models(spec, context) is { } tooMany)
        {
            bag.Add(tooMany);
        }
        else
        {
            foreach (var family in RuleFamilies)
            {
                bag.AddRange(family(spec, context));
            }
        }

        var model = bag.HasErrors ? null : ModelNormalizer.Normalize(spec, context);
        if (model is not null && SizeRules.Objects(model, context) is { } tooLarge)
        {
            bag.Add(tooLarge);
            model = null;
        }

        bag.AddRange(readerWarnings);
        var diagnostics = CredentialRules.Redact(bag.Items, root);
        if (hasOrigins)
        {
            diagnostics = [.. diagnostics.Select(d => d.Origin is null && d.Path.Length > 0 && Provenance.Describe(root, d.Path) is { } origin ? d with { Origin = origin } : d)];
        }

        return model is null
            ? new Evaluation(diagnostics, null, root, bag.OmittedErrors, bag.OmittedWarnings)
            : new Evaluation(diagnostics, model, root, 0, bag.OmittedWarnings);
    }
}
