using System.Globalization;

namespace AiGatewayModels.Engine.Model;

/// <summary>
/// The unit a budget is counted in: 10^-<see cref="Decimals"/> of <see cref="Currency"/>. Envoy Gateway's rate limiter
/// counts at most 4,294,967,295 per window (<c>limit.requests</c> is a uint32), so a budget is counted in the finest
/// unit it fits in: micro-units up to 4,294.967295, then ten times coarser for each decade above, down to hundredths.
/// </summary>
public sealed record CostUnit(string Currency, int Decimals)
{
    /// <summary>The finest unit (a millionth) and the coarsest (a hundredth) a budget may be counted in.</summary>
    public const int FinestDecimals = 6;

    public const int CoarsestDecimals = 2;

    /// <summary>
    /// The dynamic-metadata key AI Gateway records a response's cost under, in this unit; every model's route records
    /// the same key with its own prices, so that one rule can charge the cost of several models.
    /// </summary>
    public string MetadataKey => "llm_cost_" + Currency.ToLowerInvariant() + "_" + Name;

    /// <summary>How the README and the metadata key name the unit.</summary>
    public string Name => Decimals switch
    {
        6 => "micro",
        5 => "10micro",
        4 => "100micro",
        3 => "milli",
        2 => "centi",
        _ => throw new InvalidOperationException($"no cost unit with {Decimals} decimals"),
    };

    /// <summary>How many of this unit make one unit of the currency (10^Decimals).</summary>
    public long PerCurrencyUnit => Pow10(Decimals);

    /// <summary>An amount of this unit, written in the currency (<c>12500000</c> micro → <c>12.5</c>).</summary>
    public string Format(long amount) =>
        (amount / (decimal)PerCurrencyUnit).ToString("0.######", CultureInfo.InvariantCulture) + " " + Currency;

    internal static long Pow10(int exponent)
    {
        var result = 1L;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}

/// <summary>
/// What one token of each kind costs, in pico-units of the currency (10^-12) per token, which is the same number as
/// micro-units per million tokens: a price of 2.50 per million tokens is 2,500,000 here. Exact for every price of at most
/// six decimal places. As AI Gateway counts them, <c>input_tokens</c> include cached and cache-creation tokens and
/// <c>output_tokens</c> include reasoning tokens; the other kinds are priced apart from those.
/// </summary>
public sealed record Price(long Input, long CachedInput, long CacheCreationInput, long Output, long Reasoning)
{
    /// <summary>The larger of two prices, kind by kind: what a response is charged when its backend cannot be told.</summary>
    public static Price Max(Price a, Price b) => new(
        Math.Max(a.Input, b.Input),
        Math.Max(a.CachedInput, b.CachedInput),
        Math.Max(a.CacheCreationInput, b.CacheCreationInput),
        Math.Max(a.Output, b.Output),
        Math.Max(a.Reasoning, b.Reasoning));

    public bool IsFree => Input == 0 && CachedInput == 0 && CacheCreationInput == 0 && Output == 0 && Reasoning == 0;
}
