using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// <c>price</c> of <c>modelDefaults</c>, of a model and of a backend slot: one currency for all of them, every kind of
/// token priced per million as an exact decimal of at most six places, nothing negative or absurd, the policy's ceiling.
/// </summary>
public static class PriceRules
{
    private static readonly string[] Kinds = ["input", "cachedInput", "cacheCreationInput", "output", "reasoning"];

    public static IEnumerable<Diagnostic> Check(ValuesSpec values, RuleContext context)
    {
        var found = new List<Diagnostic>();
        var policy = context.Policy.Budgets;
        PriceSpec? first = null;
        foreach (var p in Prices.Written(values))
        {
            if (p.Currency is { } currency)
            {
                first ??= p;
                CheckCurrency(p, currency, first, policy.Currency, found);
            }

            if (!p.WritesInput || !p.WritesOutput)
            {
                var missing = !p.WritesInput && !p.WritesOutput ? "input and output are" : !p.WritesInput ? "input is" : "output is";
                found.Add(Diagnostic.Error(p.Path, $"a price needs input and output per million tokens, and {missing} missing; write 0 for a kind the model does not bill (e.g. output: 0 for embeddings)"));
            }

            var amounts = new[] { p.Input, p.CachedInput, p.CacheCreationInput, p.Output, p.Reasoning };
            for (var i = 0; i < Kinds.Length; i++)
            {
                if (amounts[i] is { } amount)
                {
                    CheckAmount(FieldPath.Child(p.Path, Kinds[i]), amount, p.Currency, policy.MaxPricePerMillionTokens, found);
                }
            }

            if (p.CachedInput is { } cached && p.Input is { } input && cached > input)
            {
                found.Add(Diagnostic.Warning(FieldPath.Child(p.Path, "cachedInput"), string.Create(CultureInfo.InvariantCulture, $"a cached input token ({cached}) costs more than an uncached one ({input}) here, where providers discount it; are input and cachedInput swapped?")));
            }
        }

        if (first is not null && !BudgetRules.AnyBudget(values))
        {
            found.Add(Diagnostic.Warning(first.Path, "no limit counts money, so prices charge nothing yet; add a limit with budget: (per model in limits, or across models in rateLimiting.acrossModels)"));
        }

        return found;
    }

    /// <summary>Null when <paramref name="currency"/> is an ISO 4217 code; else what is wrong with it.</summary>
    public static string? CurrencyProblem(string currency)
    {
        if (currency.Length == 3 && currency.All(char.IsAsciiLetterUpper))
        {
            return null;
        }

        var upper = currency.ToUpperInvariant();
        var hint = upper.Length == 3 && upper.All(char.IsAsciiLetterUpper) ? $"; write it in capitals: {upper}" : ", e.g. USD or EUR";
        return $"{Shown.Value(currency)} is not a currency code: use the three capital letters of ISO 4217{hint}";
    }

    /// <summary>A decimal without trailing zeros (<c>2.5000000</c> → <c>2.5</c>).</summary>
    internal static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static void CheckCurrency(PriceSpec p, string currency, PriceSpec first, string? policyCurrency, List<Diagnostic> found)
    {
        var path = FieldPath.Child(p.Path, "currency");
        if (CurrencyProblem(currency) is { } problem)
        {
            found.Add(Diagnostic.Error(path, problem));
        }
        else if (policyCurrency is not null && currency != policyCurrency)
        {
            found.Add(Diagnostic.Error(path, $"{currency} is not the policy's currency {policyCurrency}: budgets and prices are compared with the policy's ceilings in it; price in {policyCurrency}"));
        }
        else if (!ReferenceEquals(p, first) && first.Currency is { } expected && currency != expected && CurrencyProblem(expected) is null)
        {
            found.Add(Diagnostic.Error(path, $"{currency} does not match {expected} of {first.Path}: one set of values prices and budgets in one currency; convert this price to {expected}"));
        }
    }

    private static void CheckAmount(string path, decimal amount, string? currency, decimal? policyMax, List<Diagnostic> found)
    {
        var shown = amount.ToString(CultureInfo.InvariantCulture);
        if (amount < 0)
        {
            found.Add(Diagnostic.Error(path, $"{shown} is negative; a price per million tokens is 0 or more"));
        }
        else if (Prices.DecimalPlaces(amount) > Prices.MaxPriceDecimals)
        {
            var perToken = amount < 0.01m ? $"; prices are per million tokens: {shown} per token is {Plain(amount * 1_000_000m)} per million" : string.Empty;
            found.Add(Diagnostic.Error(path, $"{shown} has more than {Prices.MaxPriceDecimals} decimal places (a millionth of a currency unit per million tokens is the finest price){perToken}"));
        }
        else if (amount > Prices.MaxPricePerMillion)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{shown} per million tokens is absurd: no model is priced near it (the ceiling is {Prices.MaxPricePerMillion:0}); prices are per million tokens, not per token or per thousand")));
        }
        else if (policyMax is { } max && amount > max)
        {
            found.Add(Diagnostic.Error(path, string.Create(CultureInfo.InvariantCulture, $"{shown} {currency} per million tokens exceeds the policy's maximum of {max}; check the price, or ask for the policy's budgets.maxPricePerMillionTokens to be raised")));
        }
    }
}
