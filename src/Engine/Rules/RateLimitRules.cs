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
        var rlp = values.RateLimitPolicy;
        foreach (var d in CheckMetadata(rlp))
        {
            yield return d;
        }

        if (rlp.DefaultLimits is { } defaults)
        {
            foreach (var d in CheckLimits(defaults, FieldPath.Child(FieldPath.Child(rlp.Path, "defaults"), "limits"), context))
            {
                yield return d;
            }
        }

        foreach (var m in values.Models)
        {
            if (m.RateLimits is not { } limits)
            {
                continue;
            }

            var path = FieldPath.Child(FieldPath.Child(m.Path, "rateLimit"), "limits");
            foreach (var d in CheckLimits(limits, path, context))
            {
                yield return d;
            }

            if (!rlp.Enabled)
            {
                yield return Diagnostic.Warning(path, "ignored: rateLimitPolicy.enabled is false, so no RateLimitPolicy is created");
            }
        }
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

    private static IEnumerable<Diagnostic> CheckMetadata(RateLimitPolicySpec rlp)
    {
        foreach (var (key, value) in rlp.Labels)
        {
            var path = FieldPath.Child(FieldPath.Child(rlp.Path, "labels"), key);
            if (!KubernetesNames.IsQualifiedName(key))
            {
                yield return Diagnostic.Error(path, $"{Shown.Value(key)} is not a valid label key; use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'");
            }
            else if (ReservedLabels.Contains(key))
            {
                yield return Diagnostic.Error(path, $"label {key} is set by the expander and cannot be overridden; remove it");
            }

            if (!KubernetesNames.IsLabelValue(value))
            {
                yield return Diagnostic.Error(path, $"{Shown.Value(value)} is not a valid label value; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
        }

        long annotationBytes = 0;
        foreach (var (key, value) in rlp.Annotations)
        {
            annotationBytes += key.Length + value.Length;
            if (!KubernetesNames.IsQualifiedName(key))
            {
                yield return Diagnostic.Error(FieldPath.Child(FieldPath.Child(rlp.Path, "annotations"), key), $"{Shown.Value(key)} is not a valid annotation key; use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'");
            }
        }

        if (annotationBytes > 256 * 1024)
        {
            yield return Diagnostic.Error(FieldPath.Child(rlp.Path, "annotations"), "annotations total more than 256 KiB, the Kubernetes limit; shorten them");
        }
    }

    private static IEnumerable<Diagnostic> CheckLimits(IReadOnlyList<LimitSpec> limits, string path, RuleContext context)
    {
        if (limits.Count == 0)
        {
            yield return Diagnostic.Error(path, "no limits are given; add one, for example default: {rates: [{limit: 100, window: 1m}]}");
        }

        var sanitised = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var limit in limits)
        {
            if (limit.Name.Length is 0 or > 63)
            {
                yield return Diagnostic.Error(limit.Path, "a limit name needs 1 to 63 characters");
            }
            else if (!sanitised.TryAdd(Sanitise(limit.Name), limit.Name))
            {
                yield return Diagnostic.Error(limit.Path, $"limit {Shown.Value(limit.Name)} and limit {Shown.Value(sanitised[Sanitise(limit.Name)])} become the same Kuadrant identifier {Sanitise(limit.Name)} (non-alphanumerics turn into '_'); rename one");
            }

            if (limit.Rates.Count == 0)
            {
                yield return Diagnostic.Error(FieldPath.Child(limit.Path, "rates"), "no rates are given; add one, for example {limit: 100, window: 1m}");
            }

            foreach (var rate in limit.Rates)
            {
                if (rate.Limit is { } n && n < 1)
                {
                    yield return Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), $"{n} allows no requests; use 1 or more (disable rate limiting with rateLimitPolicy.enabled: false instead)");
                }
                else if (rate.Limit is { } m && context.Policy.MaxRequestsPerWindow is { } max && m > max)
                {
                    yield return Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), string.Create(CultureInfo.InvariantCulture, $"{m} exceeds the policy's maximum of {max} requests per window; lower it or shorten the window"));
                }
                else if (rate.Limit is > int.MaxValue)
                {
                    yield return Diagnostic.Error(FieldPath.Child(rate.Path, "limit"), string.Create(CultureInfo.InvariantCulture, $"{rate.Limit} is too large; use at most {int.MaxValue}"));
                }

                if (rate.Window is { } w && !Durations.IsValid(w))
                {
                    yield return Diagnostic.Error(FieldPath.Child(rate.Path, "window"), $"{Shown.Value(w)} is not a Kuadrant window: {Durations.Problem(w)}");
                }
            }
        }
    }
}
