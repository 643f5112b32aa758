using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Budgets (limits of <c>budget:</c>, an amount of money per window) and limits across models: what they need that a
/// single item cannot say: every model a budget charges has a price on every slot, a budget can pay for at least one
/// plausible request, the policy's per-client requirement, and what counting across models needs (Envoy Gateway, a
/// Gateway in the values' namespace, the upstream caps).
/// </summary>
public static class BudgetRules
{
    /// <summary>The BackendTrafficPolicy of limits across models is named after the Gateway with this suffix.</summary>
    public const string AcrossModelsSuffix = "-across-models";

    /// <summary>The first Envoy Gateway release with <c>shared</c> rate-limit rules and BackendTrafficPolicy <c>mergeType</c> (<c>api/v1alpha1</c> at v1.4.0).</summary>
    private static readonly Version AcrossModelsSince = new(1, 4);

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var across = TrafficLimits.AcrossModels(values);
        var currency = Prices.Currency(values);
        var plausible = new Dictionary<TrafficLimitSpec, (decimal Cost, string Where)>(ReferenceEqualityComparer.Instance);
        foreach (var m in values.Models)
        {
            if (!m.Enabled)
            {
                continue;
            }

            var effective = TrafficLimits.Effective(m, values);
            var budgets = effective.Concat(across).Where(l => l.Budget is not null).ToList();
            if (budgets.Count > 0)
            {
                CheckPriced(m, values, budgets[0], found);
                NotePlausibleCost(m, values, budgets, plausible);
            }

            if (context.Policy.Budgets.PerClient == PerClientLimits.Required && !budgets.Exists(l => TrafficLimits.ClientHeader(l, values) is not null))
            {
                found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "limits"), $"the policy requires a per-client budget on every model (budgets.perClient: Required) and model {m.Key} has none; add one, e.g. {{budget: 50, window: Month, per: client}}, here, in modelDefaults.limits or in rateLimiting.acrossModels"));
            }
        }

        foreach (var (limit, (cost, where)) in plausible)
        {
            // a budget with a finding of its own is judged again once that is fixed
            if (limit.Budget is { } budget && budget > 0 && Prices.DecimalPlaces(budget) <= Prices.MaxBudgetDecimals && budget < cost)
            {
                found.Add(Diagnostic.Warning(FieldPath.Child(limit.Path, "budget"), string.Create(CultureInfo.InvariantCulture,
                    $"{budget} {currency} is less than one plausible request costs ({Math.Round(cost, 6)} {currency} for {Prices.PlausibleInputTokens:N0} input and {Prices.PlausibleOutputTokens:N0} output tokens on {where}): a client is stopped after its first request of each window; raise the budget or lengthen the window")));
            }
        }

        if (across.Count > 0)
        {
            CheckAcrossModels(values, context, across, found);
        }

        // a finding about a defaults item comes once, however many models use it
        return found.Distinct();
    }

    /// <summary>Whether any list of the values holds a budget.</summary>
    public static bool AnyBudget(ValuesSpec values) =>
        (values.ModelDefaults?.Limits ?? []).Concat(TrafficLimits.AcrossModels(values)).Concat(values.Models.SelectMany(m => m.Limits ?? []))
            .Any(l => l.Budget is not null);

    /// <summary>The name of the unit a budget item is counted in, so that the caps can count the records a route needs.</summary>
    public static string UnitName(TrafficLimitSpec l, ValuesSpec values) =>
        l.Budget is { } b && Prices.UnitFor(b, Prices.Currency(values) ?? "XXX").Unit is { } unit ? unit.MetadataKey : "cost";

    /// <summary>One budget's amount: Envoy Gateway counts it, it is positive, exact in its unit, within the engine's and the policy's ceilings.</summary>
    internal static void CheckAmount(TrafficLimitSpec l, decimal budget, ValuesSpec values, LimitEngine? engine, ModelsPolicy policy, List<Diagnostic> found)
    {
        var path = FieldPath.Child(l.Path, "budget");
        var shown = budget.ToString(CultureInfo.InvariantCulture);
        var currency = Prices.Currency(values);
        if (engine == LimitEngine.Kuadrant)
        {
            found.Add(Diagnostic.Error(path, "budgets are counted by Envoy Gateway only: Kuadrant's TokenRateLimitPolicy counts total tokens, not what they cost; set rateLimiting.engine: EnvoyGateway"));
        }

        if (budget <= 0)
        {
            found.Add(Diagnostic.Error(path, $"{shown} allows no spending; use an amount above 0 (remove the limit to stop counting)"));
        }
        else if (Prices.DecimalPlaces(budget) > Prices.MaxBudgetDecimals)
        {
            found.Add(Diagnostic.Error(path, $"{shown} has more than {Prices.MaxBudgetDecimals} decimal places; budgets are counted in millionths of the currency at the finest"));
        }
        else if (policy.Budgets.MaxPerWindow is { } max && budget > max)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{shown} exceeds the policy's maximum budget of {max} {policy.Budgets.Currency} per window; lower it or shorten the window")));
        }
        else if (budget > Prices.MaxBudget)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{shown} is more than Envoy Gateway can count per window: its limit is a uint32, so at most {Prices.MaxBudget} counted in hundredths; use a shorter window")));
        }
        else if (Prices.UnitFor(budget, currency ?? "XXX") is { Unit: { } unit, Limit: null })
        {
            var rounded = Math.Round(budget, unit.Decimals, MidpointRounding.ToZero);
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{shown} cannot be counted exactly: a budget of this size is counted in 1/{unit.PerCurrencyUnit:N0} of the currency (Envoy Gateway counts at most 4,294,967,295 per window); round it to {rounded}")));
        }
    }

    /// <summary>A model a budget charges needs a price on every enabled slot, or there is nothing to charge.</summary>
    private static void CheckPriced(ModelSpec m, ValuesSpec values, TrafficLimitSpec budget, List<Diagnostic> found)
    {
        var unpriced = m.Slots.Where(s => s.Enabled && Prices.ForSlot(s, m, values) is null).Select(s => s.Key).ToList();
        if (unpriced.Count > 0)
        {
            var slots = unpriced.Count == m.Slots.Count(s => s.Enabled) ? "it has no price" : $"slot {string.Join(", ", unpriced)} has no price";
            found.Add(Diagnostic.Error(FieldPath.Child(m.Path, "price"), $"model {m.Key} is charged by the budget at {budget.Path}, but {slots}; give models.{m.Key}.price (or modelDefaults.price, or a price on each slot): {{currency: USD, input: 2.50, output: 10}} per million tokens"));
        }
    }

    /// <summary>Remembers, for each budget item, the dearest plausible request of the models it charges.</summary>
    private static void NotePlausibleCost(ModelSpec m, ValuesSpec values, List<TrafficLimitSpec> budgets, Dictionary<TrafficLimitSpec, (decimal Cost, string Where)> plausible)
    {
        decimal cost = 0;
        var where = string.Empty;
        foreach (var s in m.Slots.Where(s => s.Enabled))
        {
            if (Prices.ForSlot(s, m, values) is { } spec && Prices.ToPrice(spec) is { } price)
            {
                var c = Prices.CostOf(price, Prices.PlausibleInputTokens, Prices.PlausibleOutputTokens);
                if (c > cost)
                {
                    (cost, where) = (c, $"model {m.Key}, slot {s.Key}");
                }
            }
        }

        foreach (var b in budgets)
        {
            if (!plausible.TryGetValue(b, out var known) || known.Cost < cost)
            {
                plausible[b] = (cost, where);
            }
        }
    }

    /// <summary>
    /// Limits across models become shared rules of one BackendTrafficPolicy on the Gateway, which every model's own
    /// policy merges: Envoy Gateway counts a rule per policy target otherwise. That needs Envoy Gateway, a Gateway in the
    /// values' namespace (a policy's targetRefs are local), and a model-id pattern within the CRD's 1,024 characters.
    /// </summary>
    private static void CheckAcrossModels(ValuesSpec values, RuleContext context, IReadOnlyList<TrafficLimitSpec> across, List<Diagnostic> found)
    {
        var path = LimitRules.AcrossModelsPath(values);
        if (!context.Policy.AllowAcrossModels)
        {
            found.Add(Diagnostic.Error(path, "the policy does not allow limits across models (rateLimiting.allowAcrossModels: false); count per model in modelDefaults.limits"));
        }

        if (TrafficLimits.Engine(values) == LimitEngine.Kuadrant)
        {
            found.Add(Diagnostic.Error(path, "limits across models are counted by Envoy Gateway only (shared rules of a BackendTrafficPolicy on the Gateway); set rateLimiting.engine: EnvoyGateway"));
        }
        else if (context.Policy.EnvoyGatewayVersion < AcrossModelsSince)
        {
            found.Add(Diagnostic.Error(path, $"limits across models need Envoy Gateway v{AcrossModelsSince} or later (shared rate-limit rules and mergeType of BackendTrafficPolicy), and the policy's envoyGatewayVersion says the cluster runs v{context.Policy.EnvoyGatewayVersion}; count per model in modelDefaults.limits"));
        }

        if (values.GatewayRef is { Name: { } gateway } g)
        {
            var gatewayNamespace = g.Namespace ?? context.Namespace;
            if (gatewayNamespace != context.Namespace)
            {
                found.Add(Diagnostic.Error(path, $"limits across models need a BackendTrafficPolicy on the Gateway, and a policy may only target a Gateway in its own namespace: Gateway {gatewayNamespace}/{gateway} is not in {context.Namespace}; count per model (modelDefaults.limits: one counter per model and client), or keep these values in the Gateway's namespace (README \"Budgets\" says why)"));
            }
            else if ((gateway + AcrossModelsSuffix).Length > KubernetesNames.DnsSubdomainMaxLength)
            {
                found.Add(Diagnostic.Error(path, $"the policy for limits across models is named after the Gateway ({Shown.Value(gateway + AcrossModelsSuffix)}), which makes a name longer than {KubernetesNames.DnsSubdomainMaxLength} characters; use a Gateway with a shorter name"));
            }
        }

        var ids = values.Models.Where(m => m.Enabled).Select(m => m.ModelMatch ?? m.Key).ToList();
        var pattern = ModelIdPattern.Of(ids);
        if (pattern.Length > UpstreamCaps.HeaderMatchValueLength)
        {
            found.Add(Diagnostic.Error(path, $"limits across models select these values' {ids.Count} models by one pattern of their ids, {pattern.Length} characters long, and Envoy Gateway's header match holds {UpstreamCaps.HeaderMatchValueLength}; split the models over two values ConfigMaps with a Gateway each, or count per model"));
        }

        var cap = UpstreamCaps.GlobalRateLimitRules(context.Policy.EnvoyGatewayVersion);
        if (UpstreamCaps.Exceeded(across.Count, cap, "limits", $"one BackendTrafficPolicy of Envoy Gateway v{context.Policy.EnvoyGatewayVersion} (the policy's envoyGatewayVersion)") is { } rules)
        {
            found.Add(Diagnostic.Error(path, $"{rules} (one global rule per limit); merge limits"));
        }
    }
}
