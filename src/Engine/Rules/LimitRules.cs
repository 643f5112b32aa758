using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// <c>rateLimiting</c>, <c>modelDefaults.limits</c> and <c>models.*.limits</c>: what each limit counts, its window in the
/// chosen engine's terms, who is counted, the policy's say on engines and client headers, and the upstream caps.
/// </summary>
public static class LimitRules
{
    /// <summary>The largest limit Envoy Gateway takes (<c>requests</c>: uint32).</summary>
    public const long EnvoyGatewayMaxLimit = uint.MaxValue;

    /// <summary>Kuadrant: requests as the chart's keys allow; tokens up to the largest integer JSON keeps exact.</summary>
    public const long KuadrantMaxRequests = int.MaxValue;

    public const long KuadrantMaxTokens = (1L << 53) - 1;

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var policy = context.Policy;
        var engine = CheckRateLimiting(values, policy, found);
        var defaults = values.ModelDefaults?.Limits;
        if (defaults is not null)
        {
            CheckList(defaults, FieldPath.Child(values.ModelDefaults!.Path, "limits"), values, engine, policy, found, CeilingAcrossModels(values));
        }

        var across = TrafficLimits.AcrossModels(values);
        if (across.Count > 0)
        {
            CheckList(across, AcrossModelsPath(values), values, engine, policy, found, ceilingElsewhere: false);
        }

        var kuadrantObjects = false;
        var perModel = new List<Diagnostic>();
        var reported = new HashSet<Diagnostic>();
        var judgedLikeOthers = false;
        foreach (var m in values.Models)
        {
            if (m.Limits is { } own)
            {
                CheckList(own, FieldPath.Child(m.Path, "limits"), values, engine, policy, found, CeilingAcrossModels(values));
            }

            if (!m.Enabled)
            {
                continue;
            }

            var effective = TrafficLimits.Effective(m, values);
            if (policy.PerClientLimits == PerClientLimits.Required && !HasPerClientLimit(effective, values) && !HasPerClientLimit(across, values))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "limits"), $"the policy requires a per-client limit on every model (perClientLimits: Required) and model {m.Key} has none; add one, e.g. {{tokens: 1000000, window: {Example(engine)}, per: client}}, here or in modelDefaults.limits"));
            }

            // A model id fits Envoy Gateway's header match (UpstreamCaps.HeaderMatchValueLength): ModelRules bounds it to FreeText.MaxModelIdLength.
            // a model with the defaults and the chart's default limits is judged like the first such model was
            var likeOthers = m.Limits is null && m.RateLimits is null;
            if (engine is { } e && effective.Count > 0 && !(likeOthers && judgedLikeOthers))
            {
                judgedLikeOthers |= likeOthers;

                // a finding about a defaults item comes once, however many models use the defaults
                var listPath = m.Limits is null && defaults is not null ? FieldPath.Child(values.ModelDefaults!.Path, "limits") : FieldPath.Child(m.Path, "limits");
                perModel.Clear();
                CheckModelCaps(effective, across, values, listPath, e, policy, perModel);
                CheckNames(m, effective, values, e, perModel);
                foreach (var d in perModel)
                {
                    if (reported.Add(d))
                    {
                        found.Add(d);
                    }
                }
            }

            kuadrantObjects |= TrafficLimits.ChartLimitsApply(m, values);
        }

        if (engine == LimitEngine.EnvoyGateway && kuadrantObjects)
        {
            found.Add(Diagnostic.Warning(EnginePath(values), "rateLimitPolicy is enabled, so models also get the chart's Kuadrant RateLimitPolicy (its defaults, or 100 requests a minute, for models whose limits count no requests): two engines then count; set rateLimitPolicy.enabled: false to count with Envoy Gateway only"));
        }

        if (kuadrantObjects && policy.AllowedLimitEngines.Count > 0 && !policy.AllowedLimitEngines.Contains(LimitEngine.Kuadrant))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(values.RateLimitPolicy.Path, "enabled"), $"rateLimitPolicy makes a Kuadrant RateLimitPolicy per model, and the policy does not allow Kuadrant (allowed: {string.Join(", ", policy.AllowedLimitEngines)}); set rateLimitPolicy.enabled: false"));
        }

        return found;
    }

    private static string EnginePath(ValuesSpec values) => FieldPath.Child(values.RateLimiting?.Path ?? "rateLimiting", "engine");

    public static string AcrossModelsPath(ValuesSpec values) => FieldPath.Child(values.RateLimiting?.Path ?? "rateLimiting", "acrossModels");

    private static string Example(LimitEngine? engine) => engine == LimitEngine.EnvoyGateway ? "Day" : "24h";

    private static bool HasPerClientLimit(IReadOnlyList<TrafficLimitSpec> limits, ValuesSpec values)
    {
        foreach (var l in limits)
        {
            if (TrafficLimits.ClientHeader(l, values) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static LimitEngine? CheckRateLimiting(ValuesSpec values, ModelsPolicy policy, List<Diagnostic> found)
    {
        var rl = values.RateLimiting;
        var engine = TrafficLimits.Engine(values);
        if (engine is null)
        {
            found.Add(Diagnostic.Error(EnginePath(values), $"unknown engine {Shown.Value(rl!.Engine)}{DidYouMean.Suggest(rl.Engine!, TrafficLimits.Engines)}; one of {string.Join(", ", TrafficLimits.Engines)}"));
        }
        else if (policy.AllowedLimitEngines.Count > 0 && !policy.AllowedLimitEngines.Contains(engine.Value) && UsesLimits(values))
        {
            var unset = rl?.Engine is null ? " (the default)" : string.Empty;
            found.Add(Diagnostic.Error(EnginePath(values), $"{engine}{unset} is not allowed by the policy (allowed: {string.Join(", ", policy.AllowedLimitEngines)}); set rateLimiting.engine to one of them"));
        }

        if (rl?.ClientHeader is { } header)
        {
            CheckClientHeader(header, FieldPath.Child(rl.Path, "clientHeader"), policy, found);
        }

        return engine;
    }

    private static bool UsesLimits(ValuesSpec values)
    {
        if (values.ModelDefaults?.Limits is { Count: > 0 } || TrafficLimits.AcrossModels(values).Count > 0)
        {
            return true;
        }

        foreach (var m in values.Models)
        {
            if (m.Limits is { Count: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckClientHeader(string header, string path, ModelsPolicy policy, List<Diagnostic> found)
    {
        if (ClientHeaders.Problem(header) is { } problem)
        {
            found.Add(Diagnostic.Error(path, problem));
        }
        else if (policy.AllowedClientHeaders.Count > 0 && !policy.AllowedClientHeaders.Contains(header))
        {
            found.Add(Diagnostic.Error(path, $"{Shown.Value(header)} is not among the policy's client headers (allowed: {string.Join(", ", policy.AllowedClientHeaders)}): only headers that the authentication in front of the gateway sets can tell clients apart"));
        }
    }

    /// <summary>Whether a limit across models counts every client together: a ceiling for each model's per-client limits.</summary>
    private static bool CeilingAcrossModels(ValuesSpec values) => TrafficLimits.AcrossModels(values).Any(l => TrafficLimits.ClientHeader(l, values) is null);

    /// <summary>Each item of one list, at its own path.</summary>
    /// <param name="ceilingElsewhere">Whether a limit outside this list counts every client together (one across models).</param>
    private static void CheckList(IReadOnlyList<TrafficLimitSpec> limits, string listPath, ValuesSpec values, LimitEngine? engine, ModelsPolicy policy, List<Diagnostic> found, bool ceilingElsewhere)
    {
        foreach (var l in limits)
        {
            CheckItem(l, values, engine, policy, found);
        }

        var perClient = 0;
        foreach (var l in limits)
        {
            perClient += TrafficLimits.ClientHeader(l, values) is null ? 0 : 1;
        }

        if (perClient > 0 && perClient == limits.Count && !ceilingElsewhere)
        {
            var header = TrafficLimits.ClientHeader(limits[0], values);
            found.Add(Diagnostic.Warning(listPath, $"every limit here counts per client: a request without the {header} header is not counted by any of them; add a per-model limit as a ceiling"));
        }
    }

    private static void CheckItem(TrafficLimitSpec l, ValuesSpec values, LimitEngine? engine, ModelsPolicy policy, List<Diagnostic> found)
    {
        if (l.Name is { } name && (name.Length is 0 or > 63 || !IsLimitName(name)))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "name"), $"{Shown.Value(name)} is not a limit name: use 1 to 63 letters, digits, '-' or '_'"));
        }

        if (TrafficLimits.Amounts(l) > 1)
        {
            found.Add(Diagnostic.Error(l.Path, "a limit counts one thing: requests, tokens or a budget; write a limit for each"));
        }
        else if (TrafficLimits.Amounts(l) == 0 && !l.NamesAmount)
        {
            found.Add(Diagnostic.Error(l.Path, $"a limit needs what it counts: requests: N, tokens: N (with tokenType, default TotalToken) or budget: an amount of money, e.g. {{tokens: 100000, window: {Example(engine)}, per: client}}"));
        }

        CheckAmount(l, "requests", l.Requests, engine, policy.MaxRequestsPerWindow, found);
        CheckAmount(l, "tokens", l.Tokens, engine, policy.MaxTokensPerWindow, found);
        if (l.Budget is { } budget)
        {
            BudgetRules.CheckAmount(l, budget, values, engine, policy, found);
        }

        if (l.TokenType is { } type)
        {
            var path = FieldPath.Child(l.Path, "tokenType");
            if (l.Requests is not null)
            {
                found.Add(Diagnostic.Error(path, "tokenType belongs to a limit of tokens; remove it, or count tokens: N instead of requests"));
            }
            else if (l.Budget is not null)
            {
                found.Add(Diagnostic.Error(path, "tokenType belongs to a limit of tokens; remove it: a budget is charged every kind of token at the model's price"));
            }
            else if (!TrafficLimits.TokenTypes.Contains(type))
            {
                found.Add(Diagnostic.Error(path, $"unknown token type {Shown.Value(type)}{DidYouMean.Suggest(type, TrafficLimits.TokenTypes)}; one of {string.Join(", ", TrafficLimits.TokenTypes)}"));
            }
            else if (engine == LimitEngine.Kuadrant && type != nameof(Counted.TotalToken))
            {
                found.Add(Diagnostic.Error(path, $"Kuadrant's TokenRateLimitPolicy counts total tokens only (usage.total_tokens of each response); count {type} with rateLimiting.engine: EnvoyGateway, or remove tokenType"));
            }
        }

        if (l.Per is { } per && !TrafficLimits.PerValues.Contains(per))
        {
            found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "per"), $"unknown value {Shown.Value(per)}{DidYouMean.Suggest(per, TrafficLimits.PerValues)}; per: model counts the model as a whole, per: client each client (by rateLimiting.clientHeader)"));
        }
        else if (l.Per == "model" && l.ClientHeader is not null)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "clientHeader"), "a limit per model counts no clients; remove clientHeader, or write per: client"));
        }

        if (l.ClientHeader is { } header)
        {
            CheckClientHeader(header, FieldPath.Child(l.Path, "clientHeader"), policy, found);
        }

        if (policy.PerClientLimits == PerClientLimits.Forbidden && TrafficLimits.ClientHeader(l, values) is not null)
        {
            found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "per"), "the policy forbids per-client limits (perClientLimits: Forbidden): nothing in front of this gateway authenticates a client header, so a client could forge it; count per model"));
        }

        if (l.Window is { } window && engine is { } e)
        {
            if (LimitWindows.Problem(e, window, l.Requests ?? l.Tokens) is { } problem)
            {
                found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "window"), problem));
            }
            else if (LimitWindows.Notice(e, window, l.Name) is { } notice)
            {
                found.Add(Diagnostic.Warning(FieldPath.Child(l.Path, "window"), notice));
            }
        }
    }

    private static void CheckAmount(TrafficLimitSpec l, string key, long? amount, LimitEngine? engine, long? policyMax, List<Diagnostic> found)
    {
        if (amount is not { } n)
        {
            return;
        }

        var path = FieldPath.Child(l.Path, key);
        var engineMax = engine == LimitEngine.EnvoyGateway ? EnvoyGatewayMaxLimit : key == "requests" ? KuadrantMaxRequests : KuadrantMaxTokens;
        if (n < 1)
        {
            found.Add(Diagnostic.Error(path, $"{n} allows no {key}; use 1 or more (remove the limit to stop counting)"));
        }
        else if (policyMax is { } max && n > max)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{n} exceeds the policy's maximum of {max} {key} per window; lower it or shorten the window")));
        }
        else if (engine is { } e && n > engineMax)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{n} is more than {e} can count per window (at most {engineMax}); use a shorter window")));
        }
    }

    private static bool IsLimitName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What one model's BackendTrafficPolicy and route would hold, against the upstream caps.</summary>
    private static void CheckModelCaps(IReadOnlyList<TrafficLimitSpec> effective, IReadOnlyList<TrafficLimitSpec> across, ValuesSpec values, string listPath, LimitEngine engine, ModelsPolicy policy, List<Diagnostic> found)
    {
        if (engine != LimitEngine.EnvoyGateway || effective.Count == 0)
        {
            return;
        }

        // one global rule per limit, each with one client selector; one llmRequestCosts entry per token type counted
        var cap = UpstreamCaps.GlobalRateLimitRules(policy.EnvoyGatewayVersion);
        if (UpstreamCaps.Exceeded(effective.Count, cap, "limits", $"one BackendTrafficPolicy of Envoy Gateway v{policy.EnvoyGatewayVersion} (the policy's envoyGatewayVersion)") is { } rules)
        {
            found.Add(Diagnostic.Error(listPath, $"{rules} (one global rule per limit); merge limits, or split the model"));
        }

        // one llmRequestCosts entry per token type, and one per unit a budget (of the model or across models) is counted in
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in effective.Concat(across))
        {
            if (TrafficLimits.CountedBy(l) is { } c && c != Counted.Requests)
            {
                recorded.Add(c == Counted.Cost ? BudgetRules.UnitName(l, values) : c.ToString());
            }
        }

        if (UpstreamCaps.Exceeded(recorded.Count, UpstreamCaps.LlmRequestCostsPerRoute, "token and cost records", "an AIGatewayRoute's llmRequestCosts") is { } costs)
        {
            found.Add(Diagnostic.Error(listPath, costs));
        }
    }

    /// <summary>
    /// Kuadrant keys limits by name: within a model, two limits of one kind must not become the same identifier, and a
    /// request limit must not take the name of a limit the chart's keys put into the same RateLimitPolicy.
    /// </summary>
    private static void CheckNames(ModelSpec m, IReadOnlyList<TrafficLimitSpec> effective, ValuesSpec values, LimitEngine engine, List<Diagnostic> found)
    {
        if (engine != LimitEngine.Kuadrant || effective.Count == 0)
        {
            return;
        }

        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var rlp = values.RateLimitPolicy;
        if (rlp.Enabled && (m.RateLimits ?? rlp.DefaultLimits) is { } chart)
        {
            foreach (var c in chart)
            {
                requests.TryAdd(RateLimitRules.Sanitise(c.Name), c.Name);
            }
        }

        foreach (var l in effective)
        {
            // an item with a finding of its own is judged again once that is fixed
            if (TrafficLimits.CountedBy(l) is not { } counted || (l.Per is { } per && (!TrafficLimits.PerValues.Contains(per) || (per == "model" && l.ClientHeader is not null))))
            {
                continue;
            }

            var header = TrafficLimits.ClientHeader(l, values);
            var name = TrafficLimits.Name(l, counted, header);
            if (name.Length > 63)
            {
                found.Add(Diagnostic.Error(l.Path, $"the name made for this limit, {Shown.Derived(name, l.Name, header, l.Window)}, is longer than 63 characters; give it a name: of its own"));
                continue;
            }

            var seen = counted == Counted.Requests ? requests : tokens;
            if (!seen.TryAdd(RateLimitRules.Sanitise(name), name))
            {
                var other = seen[RateLimitRules.Sanitise(name)];
                var why = other == name ? $"another limit of model {m.Key} is also named {Shown.Value(name)}" : $"{Shown.Value(name)} and {Shown.Value(other)} become the same Kuadrant identifier (non-alphanumerics turn into '_')";
                found.Add(Diagnostic.Error(FieldPath.Child(l.Path, "name"), $"{why}; give this limit a name of its own"));
            }
        }
    }
}
