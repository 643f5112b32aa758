using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// An offline stand-in for the apiserver's validation of custom resources: loads the upstream CRDs from a
/// directory and checks objects against them (served version, metadata, structural schema after defaulting,
/// CEL rules). Core v1 kinds (Secret, ConfigMap, ...) get metadata and basic checks.
/// </summary>
public sealed class CrdCatalog
{
    private static readonly ConcurrentDictionary<(string Dir, bool Experimental), Lazy<CrdCatalog>> Loaded = new();

    private readonly Dictionary<(string Group, string Kind), CrdDefinition> definitions;
    private readonly CelRuleEvaluator cel = new();

    private CrdCatalog(Dictionary<(string Group, string Kind), CrdDefinition> definitions, bool experimentalChannel)
    {
        this.definitions = definitions;
        ExperimentalChannel = experimentalChannel;
    }

    /// <summary>The CRDs in <see cref="RepoPaths.CrdsDir"/>, standard channel.</summary>
    public static CrdCatalog Default => Load(RepoPaths.CrdsDir);

    /// <summary>The CRDs in <see cref="RepoPaths.CrdsDir"/>, with the experimental-channel Gateway API CRDs.</summary>
    public static CrdCatalog Experimental => Load(RepoPaths.CrdsDir, experimentalChannel: true);

    /// <summary>Whether the experimental/ CRDs replaced the standard ones of the same name.</summary>
    public bool ExperimentalChannel { get; }

    /// <summary>
    /// Loads every CRD in <paramref name="dir"/> and its subdirectories (such as cert-manager/), except
    /// experimental/, whose CRDs replace the standard ones of the same name when <paramref name="experimentalChannel"/>
    /// is set. Catalogs are cached per directory and channel.
    /// </summary>
    public static CrdCatalog Load(string dir, bool experimentalChannel = false)
    {
        var full = Path.GetFullPath(dir);
        return Loaded.GetOrAdd((full, experimentalChannel), key => new Lazy<CrdCatalog>(() => new CrdCatalog(CrdLoader.Read(key.Dir, key.Experimental), key.Experimental))).Value;
    }

    /// <summary>The errors in <paramref name="obj"/>, each starting with its JSON path; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate(JsonObject obj) => Check(obj).Errors;

    /// <summary>The CEL rules that applied to <paramref name="obj"/> but could not be evaluated (see <see cref="Check"/>).</summary>
    public IReadOnlyList<string> UnevaluatedRules(JsonObject obj) => Check(obj).UnevaluatedRules;

    /// <summary>Whether the catalog has a definition for the object's group and kind (whatever the version).</summary>
    public bool Covers(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonScalars.TryString(obj["apiVersion"], out var apiVersion) && JsonScalars.TryString(obj["kind"], out var kind)
            && Covers(apiVersion, kind);
    }

    public bool Covers(string apiVersion, string kind)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return group.Length == 0 ? version == "v1" && CoreObjectValidator.Knows(kind) : definitions.ContainsKey((group, kind));
    }

    /// <summary>The served versions of a kind, empty when the catalog has no CRD for it.</summary>
    public IReadOnlyList<string> ServedVersions(string group, string kind) =>
        definitions.TryGetValue((group, kind), out var crd) ? crd.ServedVersions.ToArray() : [];

    /// <summary>The CEL rules (exact text) that are checked by hand-written C# because the Cel package cannot evaluate them.</summary>
    public static IReadOnlyCollection<string> HandWrittenRuleTexts => HandWrittenRules.ByRuleText.Keys.ToArray();

    /// <summary>Whether some version of some CRD in the catalog has this exact rule.</summary>
    public bool HasRule(string ruleText) =>
        definitions.Values.SelectMany(d => d.Versions.Values)
            .Any(v => RuleProbe.Sites(v.Schema).Any(s => s.Node.Rules.Any(r => r.Rule == ruleText)));

    /// <summary>
    /// Tries every CEL rule of a kind's version on synthetic values and lists the rules that neither the Cel
    /// package nor a hand-written check can evaluate; empty when every rule can be evaluated.
    /// </summary>
    public IReadOnlyList<string> ProbeRules(string apiVersion, string kind)
    {
        var errors = new List<string>();
        var (group, version) = SplitApiVersion(apiVersion);
        return FindVersion(group, version, kind, apiVersion, errors) is { } resource
            ? RuleProbe.Unevaluable(resource.Version.Schema, cel)
            : throw new ArgumentException(string.Join("; ", errors), nameof(apiVersion));
    }

    /// <summary>The number of CEL rules in a kind's version (transition rules included).</summary>
    public int RuleCount(string apiVersion, string kind)
    {
        var errors = new List<string>();
        var (group, version) = SplitApiVersion(apiVersion);
        return FindVersion(group, version, kind, apiVersion, errors) is { } resource
            ? RuleProbe.Sites(resource.Version.Schema).Sum(s => s.Node.Rules.Count)
            : throw new ArgumentException(string.Join("; ", errors), nameof(apiVersion));
    }

    /// <summary>Validates like the apiserver and also reports which CEL rules could not be evaluated and how the rules were run.</summary>
    public CrdValidationResult Check(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var errors = new List<string>();
        if (!JsonScalars.TryString(obj["apiVersion"], out var apiVersion) || apiVersion.Length == 0)
        {
            errors.Add("apiVersion: Required value");
        }

        if (!JsonScalars.TryString(obj["kind"], out var kind) || kind.Length == 0)
        {
            errors.Add("kind: Required value");
        }

        if (errors.Count > 0)
        {
            return Result(errors);
        }

        var (group, version) = SplitApiVersion(apiVersion);
        if (group.Length == 0)
        {
            if (version == "v1" && CoreObjectValidator.Knows(kind))
            {
                CoreObjectValidator.Validate(obj, kind, errors);
            }
            else
            {
                errors.Add($"kind: no definition for {apiVersion} {kind} (core kinds checked: Secret, ConfigMap, Service, ServiceAccount, Namespace)");
            }

            return Result(errors);
        }

        if (FindVersion(group, version, kind, apiVersion, errors) is not { } resource)
        {
            return Result(errors);
        }

        MetadataValidator.Validate(obj["metadata"], resource.Crd.Namespaced, errors);
        var defaulted = (JsonObject)obj.DeepClone();
        StructuralDefaulter.Apply(defaulted, resource.Version.Schema);
        StructuralValidator.ValidateRoot(defaulted, resource.Version.Schema, errors);
        if (errors.Any(e => e.Contains(StructuralValidator.TypeErrorMarker, StringComparison.Ordinal)))
        {
            // The apiserver does not run CEL rules on an object with type errors either.
            errors.Add("<root>: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
            return Result(errors);
        }

        var rules = new RuleWalker(cel, errors.ToArray());
        rules.Walk(defaulted, resource.Version.Schema, "", isRoot: true);
        errors.AddRange(rules.Errors);
        return new CrdValidationResult(errors, rules.Unevaluated, rules.EvaluatedByCel, rules.EvaluatedByHand, rules.TransitionRulesSkipped);
    }

    private (CrdDefinition Crd, CrdVersion Version)? FindVersion(string group, string version, string kind, string apiVersion, List<string> errors)
    {
        if (!definitions.TryGetValue((group, kind), out var crd))
        {
            var kinds = definitions.Keys.Where(k => k.Group == group).Select(k => k.Kind).Order(StringComparer.Ordinal).ToList();
            errors.Add(kinds.Count == 0
                ? $"apiVersion: no CRD in the catalog for group {group}"
                : $"kind: no CRD in the catalog for kind {kind} in group {group} (kinds: {string.Join(", ", kinds)})");
            return null;
        }

        var served = string.Join(", ", crd.ServedVersions);
        if (!crd.Versions.TryGetValue(version, out var crdVersion))
        {
            errors.Add($"apiVersion: {apiVersion} is not a version of {kind} (served versions: {served})");
            return null;
        }

        if (!crdVersion.Served)
        {
            var channel = ExperimentalChannel ? "experimental" : "standard";
            errors.Add($"apiVersion: {apiVersion} is not served for kind {kind} by the {channel}-channel CRD {crd.Name} (served versions: {served})");
            return null;
        }

        return (crd, crdVersion);
    }

    private static CrdValidationResult Result(List<string> errors) => new(errors, [], 0, 0, 0);

    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
