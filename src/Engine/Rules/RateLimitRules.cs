using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>rateLimitPolicy and models.*.rateLimit: Kuadrant's rules for limits, windows and names, and valid metadata.</summary>
public static class RateLimitRules
{
    private static readonly string[] ReservedLabels = [WellKnown.ManagedByLabel, WellKnown.SourceLabel];

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var rlp = values.RateLimitPolicy;
        CheckMetadata(rlp, found);
        if (rlp.DefaultLimits is { } defaults)
        {
            CheckLimits(defaults, rlp.Path, "defaults", context, found);
        }

        foreach (var m in values.Models)
        {
            if (m.RateLimits is not { } limits)
            {
                continue;
            }

            CheckLimits(limits, m.Path, "rateLimit", context, found);
            if (!rlp.Enabled)
            {
                found.Add(Diagnostic.Warning(LimitsPath(m.Path, "rateLimit"), "ignored: rateLimitPolicy.enabled is false, so no RateLimitPolicy is created"));
            }
        }

        return found;
    }

    /// <summary>Kuadrant's limitador identifier keeps letters, digits and '_' and turns everything else into '_'.</summary>
    public static string Sanitise(string limitName) =>
        string.Create(limitName.Length, limitName, (span, name) =>
        {
            for (var i = 0; i < name.Length; i++)
            {
                span[i] = char.IsLetterOrDigit(name[i]) || name[i] == '_' ? name[i] : '_';
            }
        });

    /// <summary>Where the limits under a holder (<c>defaults</c>, a model's <c>rateLimit</c>) are.</summary>
    private static string LimitsPath(string parent, string holder) => FieldPath.Child(FieldPath.Child(parent, holder), "limits");

    private static void CheckMetadata(RateLimitPolicySpec rlp, List<Diagnostic> found)
    {
        foreach (var (key, value) in rlp.Labels)
        {
            if (!KubernetesNames.IsQualifiedName(key))
            {
                found.Add(Diagnostic.Error(MetadataPath(rlp, "labels", key), $"{Shown.Value(key)} is not a valid label key; use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'"));
            }
            else if (ReservedLabels.Contains(key))
            {
                found.Add(Diagnostic.Error(MetadataPath(rlp, "labels", key), $"label {key} is set by the expander and cannot be overridden; remove it"));
            }

            if (!KubernetesNames.IsLabelValue(value))
            {
                found.Add(Diagnostic.Error(MetadataPath(rlp, "labels", key), $"{Shown.Value(value)} is not a valid label value; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
            }
        }

        long annotationBytes = 0;
        foreach (var (key, value) in rlp.Annotations)
        {
            annotationBytes += key.Length + value.Length;
            if (!KubernetesNames.IsQualifiedName(key))
            {
                found.Add(Diagnostic.Error(MetadataPath(rlp, "annotations", key), $"{Shown.Value(key)} is not a valid annotation key; use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'"));
            }
        }

        if (annotationBytes > 256 * 1024)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(rlp.Path, "annotations"), "annotations total more than 256 KiB, the Kubernetes limit; shorten them"));
        }
    }

    private static string MetadataPath(RateLimitPolicySpec rlp, string map, string key) => FieldPath.Child(FieldPath.Child(rlp.Path, map), key);

    private static void CheckLimits(IReadOnlyList<LimitSpec> limits, string parent, string holder, RuleContext context, List<Diagnostic> found)
    {
        if (limits.Count == 0)
        {
            found.Add(Diagnostic.Error(LimitsPath(parent, holder), "no limits are given; add one, for example default: {rates: [{limit: 100, window: 1m}]}"));
        }

        // One limit cannot clash with another: most holders have one, and need no identifiers compared.
        var sanitised = limits.Count > 1 ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
        foreach (var limit in limits)
        {
            if (limit.Name.Length is 0 or > 63)
            {
                found.Add(Diagnostic.Error(limit.Path, "a limit name needs 1 to 63 characters"));
            }
            else if (sanitised is not null && !sanitised.TryAdd(Sanitise(limit.Name), limit.Name))
            {
                found.Add(Diagnostic.Error(limit.Path, $"limit {Shown.Value(limit.Name)} and limit {Shown.Value(sanitised[Sanitise(limit.Name)])} become the same Kuadrant identifier {Sanitise(limit.Name)} (non-alphanumerics turn into '_'); rename one"));
            }

            if (limit.Rates.Count == 0)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(limit.Path, "rates"), "no rates are given; add one, for example {limit: 100, window: 1m}"));
            }

            foreach (var rate in limit.Rates)
            {
                if (rate.Limit is { } n && n < 1)
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), $"{n} allows no requests; use 1 or more (disable rate limiting with rateLimitPolicy.enabled: false instead)"));
                }
                else if (rate.Limit is { } m && context.Policy.MaxRequestsPerWindow is { } max && m > max)
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), string.Create(CultureInfo.InvariantCulture, $"{m} exceeds the policy's maximum of {max} requests per window; lower it or shorten the window")));
                }
                else if (rate.Limit is > int.MaxValue)
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), string.Create(CultureInfo.InvariantCulture, $"{rate.Limit} is too large; use at most {int.MaxValue}")));
                }

                if (rate.Window is { } w && !Durations.IsValid(w))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(rate.Path, "window"), $"{Shown.Value(w)} is not a Kuadrant window: {Durations.Problem(w)}"));
                }
                else if (rate.Window is { } zero && Durations.IsZero(zero))
                {
                    found.Add(Diagnostic.Error(FieldPath.Child(rate.Path, "window"), $"{Shown.Value(zero)} is a zero-length window, which limits nothing; give a positive window such as 1m"));
                }
            }
        }
    }
}
