using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// What goes into a model's BackendTrafficPolicy besides its limits: <c>failover</c> (retry), <c>healthCheck.passive</c>
/// (outlier detection), and how <c>streamIdleTimeout</c> relates to them and to <c>timeout</c>. Settings that match a
/// known crash pattern are denied, or warned about when the policy says so.
/// </summary>
public static class TrafficPolicyRules
{
    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var defaults = values.ModelDefaults;
        if (defaults?.Failover is { } defaultFailover)
        {
            CheckFailoverFields(defaultFailover, found);
        }

        if (defaults?.HealthCheck?.Passive is { } defaultPassive)
        {
            CheckPassive(defaultPassive, found);
        }

        var defaultsCrashJudged = false;
        foreach (var m in values.Models)
        {
            var written = m.Failover ?? defaults?.Failover;
            if (written is null && m.StreamIdleTimeout is null && m.HealthCheck?.Passive is null)
            {
                continue; // nothing here to judge (ModelRules judges the rest of the model)
            }

            var levels = SlotPriorities.Levels(m.Slots).Count;
            if (m.Failover is { } own)
            {
                CheckFailoverFields(own, found);
                if (levels < 2)
                {
                    found.Add(Diagnostic.Warning(own.Path, "failover settings have no effect: all enabled backends share one priority; give fallbacks priority: 1"));
                }
            }

            if (m.HealthCheck?.Passive is { } passive)
            {
                CheckPassive(passive, found);
            }

            if (m.Enabled && levels > 1 && written is not null && (m.Failover is not null || !defaultsCrashJudged))
            {
                defaultsCrashJudged |= m.Failover is null;
                CheckCrashPatterns(written, context.Policy, found);
            }

            CheckTimeouts(m, written, levels > 1 ? Effective(written, levels) : null, found);
        }

        // a finding about modelDefaults comes once, however many models use them
        return found.Distinct();
    }

    /// <summary>
    /// The retry a model with <paramref name="levels"/> priority levels gets: each field as written (by the model, else by
    /// <c>modelDefaults.failover</c>), else its default; one retry per fallback level unless <c>numRetries</c> says otherwise.
    /// </summary>
    public static Failover Effective(FailoverSpec? written, int levels) => new(
        (int)(written?.NumRetries ?? levels - 1),
        written?.HttpStatusCodes ?? FailoverDefaults.HttpStatusCodes,
        written?.Triggers ?? FailoverDefaults.DefaultTriggers,
        written?.PerRetryTimeout,
        written?.BackOffBaseInterval ?? FailoverDefaults.BackOffBaseInterval,
        written?.BackOffMaxInterval ?? FailoverDefaults.BackOffMaxInterval);

    private static void CheckFailoverFields(FailoverSpec f, List<Diagnostic> found)
    {
        if (f.NumRetries is { } n && n is < 0 or > FailoverDefaults.MaxNumRetries)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(f.Path, "numRetries"), $"{n} is out of range; use 0 to {FailoverDefaults.MaxNumRetries} (one retry per fallback level reaches all of a model's at most {ModelRules.MaxBackendsPerModel} backends)"));
        }

        var retryOn = FieldPath.Child(f.Path, "retryOn");
        var codes = new HashSet<long>();
        for (var i = 0; i < (f.HttpStatusCodes?.Count ?? 0); i++)
        {
            if (f.HttpStatusCodes![i] is < 100 or > 599)
            {
                found.Add(Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOn, "httpStatusCodes"), i), $"{f.HttpStatusCodes[i]} is not an HTTP status code; use 100 to 599"));
            }
            else if (!codes.Add(f.HttpStatusCodes[i]))
            {
                found.Add(Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOn, "httpStatusCodes"), i), $"{f.HttpStatusCodes[i]} is listed twice; remove one"));
            }
        }

        var triggers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (f.Triggers?.Count ?? 0); i++)
        {
            if (!FailoverDefaults.Triggers.Contains(f.Triggers![i]))
            {
                found.Add(Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOn, "triggers"), i), $"unknown retry trigger {Shown.Value(f.Triggers[i])}{DidYouMean.Suggest(f.Triggers[i], FailoverDefaults.Triggers)}; one of {string.Join(", ", FailoverDefaults.Triggers)}"));
            }
            else if (!triggers.Add(f.Triggers[i]))
            {
                found.Add(Diagnostic.Error(FieldPath.Index(FieldPath.Child(retryOn, "triggers"), i), $"retry trigger {f.Triggers[i]} is listed twice; remove one"));
            }
        }

        CheckDuration(f.Path, "perRetryTimeout", f.PerRetryTimeout, found);
        CheckDuration(f.Path, "backOff.baseInterval", f.BackOffBaseInterval, found);
        CheckDuration(f.Path, "backOff.maxInterval", f.BackOffMaxInterval, found);

        // Envoy rejects a RetryBackOff whose max_interval is below its base_interval (route_components.proto), the whole route with it.
        var baseInterval = f.BackOffBaseInterval ?? FailoverDefaults.BackOffBaseInterval;
        var maxInterval = f.BackOffMaxInterval ?? FailoverDefaults.BackOffMaxInterval;
        if ((f.BackOffBaseInterval ?? f.BackOffMaxInterval) is not null && Durations.TryParse(baseInterval) is { } baseLength
            && Durations.TryParse(maxInterval) is { } maxLength && maxLength < baseLength)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(f.Path, "backOff"), $"maxInterval {maxInterval} is shorter than baseInterval {baseInterval}; Envoy rejects such a back-off, so raise maxInterval or lower baseInterval"));
        }
    }

    /// <summary>Known crash patterns, judged on the settings as they take effect (written fields over the defaults).</summary>
    private static void CheckCrashPatterns(FailoverSpec written, ModelsPolicy policy, List<Diagnostic> found)
    {
        var effective = Effective(written, 2);
        foreach (var pattern in KnownCrashPatterns.Matching(effective.HttpStatusCodes, effective.Triggers))
        {
            var path = FieldPath.Child(written.Path, "retryOn");
            found.Add(policy.KnownCrashPatterns == CrashPatternAction.Warn
                ? Diagnostic.Warning(path, $"{pattern.Problem}; accepted because the policy says knownCrashPatterns: Warn; {pattern.Fix}")
                : Diagnostic.Error(path, $"{pattern.Problem}; {pattern.Fix} (a policy with knownCrashPatterns: Warn accepts it, for a data plane that has the fix)"));
        }
    }

    private static void CheckPassive(PassiveHealthCheckSpec p, List<Diagnostic> found)
    {
        CheckCount(p.Path, "consecutive5XxErrors", p.Consecutive5XxErrors, found);
        CheckCount(p.Path, "consecutiveGatewayErrors", p.ConsecutiveGatewayErrors, found);
        CheckDuration(p.Path, "interval", p.Interval, found);
        CheckDuration(p.Path, "baseEjectionTime", p.BaseEjectionTime, found);
        if (p.MaxEjectionPercent is { } percent)
        {
            if (percent is < 0 or > 100)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(p.Path, "maxEjectionPercent"), $"{percent} is not a percentage; use 0 to 100"));
            }
            else if (percent == 0)
            {
                found.Add(Diagnostic.Warning(FieldPath.Child(p.Path, "maxEjectionPercent"), "0 ejects no backend, so the check has no effect; 50 keeps at least half of a model's backends in service"));
            }
        }
    }

    private static void CheckCount(string parent, string key, long? value, List<Diagnostic> found)
    {
        if (value is { } n && n is < 1 or > int.MaxValue)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(parent, key), $"{n} is out of range; use 1 or more consecutive errors (3 to 5 is usual)"));
        }
    }

    /// <summary>
    /// <c>streamIdleTimeout</c> and <c>failover.perRetryTimeout</c> only act within the request's <c>timeout</c> (AI
    /// Gateway's 60 s when unset), and an idle provider only falls over when a retry trigger covers a timed-out try.
    /// </summary>
    private static void CheckTimeouts(ModelSpec m, FailoverSpec? written, Failover? retry, List<Diagnostic> found)
    {
        if (m.StreamIdleTimeout is null && retry?.PerRetryTimeout is null)
        {
            return;
        }

        var request = m.Timeout is { } t ? Durations.TryParse(t) : FailoverDefaults.RequestTimeout;
        var requestText = m.Timeout is null ? "AI Gateway's default request timeout of 60s" : $"the model's timeout of {m.Timeout}";
        if (m.StreamIdleTimeout is { } idle)
        {
            var path = FieldPath.Child(m.Path, "streamIdleTimeout");
            if (Durations.TryParse(idle) is not { } idleLength)
            {
                found.Add(Diagnostic.Error(path, $"{Shown.Value(idle)} is not a duration: {Durations.Problem(idle)}"));
            }
            else if (idleLength == TimeSpan.Zero)
            {
                found.Add(Diagnostic.Error(path, "0s would end every stream at once; give the longest silence a provider may keep, e.g. 30s"));
            }
            else if (request is { } r && idleLength >= r)
            {
                found.Add(Diagnostic.Warning(path, $"{idle} never ends a stream: {requestText} ends the request first; make it shorter than the timeout, or raise timeout"));
            }
            else if (retry is not null && !retry.Triggers.Any(FailoverDefaults.TimeoutTriggers.Contains))
            {
                found.Add(Diagnostic.Warning(path, $"a provider that goes idle is not failed over: none of the retry triggers ({string.Join(", ", retry.Triggers)}) retries a try that timed out; add reset to failover.retryOn.triggers"));
            }
        }

        if (retry?.PerRetryTimeout is { } perRetry && Durations.TryParse(perRetry) is { } perRetryLength && request is { } req && perRetryLength >= req)
        {
            var path = FieldPath.Child(written!.Path, "perRetryTimeout");
            found.Add(Diagnostic.Warning(path, $"{perRetry} leaves no time to fail over: {requestText} ends the request before a retry; make it shorter than the timeout"));
        }
    }

    private static void CheckDuration(string parent, string name, string? value, List<Diagnostic> found)
    {
        if (value is not null && !Durations.IsValid(value))
        {
            found.Add(Diagnostic.Error(parent + "." + name, $"{Shown.Value(value)} is not a duration: {Durations.Problem(value)}"));
        }
        else if (value is not null && Durations.IsZero(value))
        {
            // Envoy's retry back-off and outlier detection require positive durations (validate.rules gt 0).
            found.Add(Diagnostic.Error(parent + "." + name, $"{Shown.Value(value)} is zero, which bounds nothing; give a positive duration, or remove {name} for the default"));
        }
    }
}
