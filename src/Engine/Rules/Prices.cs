using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// Facts about <c>price</c> and <c>budget</c> that the rules and normalising share: which price a slot charges, the
/// values' currency, a written price as an exact <see cref="Price"/>, and the unit a budget is counted in.
/// </summary>
public static class Prices
{
    /// <summary>Prices are per million tokens with at most six decimal places: a micro-unit per million tokens is exact.</summary>
    public const int MaxPriceDecimals = 6;

    /// <summary>
    /// The highest price per million tokens of any kind. The cost expressions stay far inside uint64 with it (README
    /// "Budgets" gives the bound), and the dearest models (hundreds of dollars per million output tokens) stay below it in
    /// dollars, euros, yen and the like; only currencies of very small units (the dong) would need more.
    /// </summary>
    public const decimal MaxPricePerMillion = 10_000_000m;

    /// <summary>Budgets are amounts of the currency with at most six decimal places (micro-units).</summary>
    public const int MaxBudgetDecimals = CostUnit.FinestDecimals;

    /// <summary>The largest budget per window: Envoy Gateway's uint32 limit in the coarsest unit, hundredths (42,949,672.95).</summary>
    public const decimal MaxBudget = uint.MaxValue / 100m;

    /// <summary>The request a budget is compared with: one that a budget smaller than its cost cannot pay for even once.</summary>
    public const int PlausibleInputTokens = 1_000;

    public const int PlausibleOutputTokens = 1_000;

    /// <summary>The price a slot charges: its own, else its model's, else <c>modelDefaults.price</c>; null when none is written.</summary>
    public static PriceSpec? ForSlot(SlotSpec s, ModelSpec m, ValuesSpec values) => s.Price ?? ForModel(m, values);

    /// <summary>The price of a model's slots that have none of their own.</summary>
    public static PriceSpec? ForModel(ModelSpec m, ValuesSpec values) => m.Price ?? values.ModelDefaults?.Price;

    /// <summary>Every price the values write, in the order they are written: <c>modelDefaults</c>, then each model and its slots.</summary>
    public static IEnumerable<PriceSpec> Written(ValuesSpec values)
    {
        if (values.ModelDefaults?.Price is { } defaults)
        {
            yield return defaults;
        }

        foreach (var m in values.Models)
        {
            if (m.Price is { } own)
            {
                yield return own;
            }

            foreach (var s in m.Slots)
            {
                if (s.Price is { } slot)
                {
                    yield return slot;
                }
            }
        }
    }

    /// <summary>The values' currency: that of the first price written (the defaults' when there are any); null without prices.</summary>
    public static string? Currency(ValuesSpec values)
    {
        foreach (var p in Written(values))
        {
            if (p.Currency is { } c)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// A written price as pico-units per token. Cached and cache-creation input default to the input price, reasoning to
    /// the output price (AI Gateway counts them inside input and output tokens). Null while a kind is missing, negative,
    /// too precise or too high: the rules report which.
    /// </summary>
    public static Price? ToPrice(PriceSpec p)
    {
        if (p.Input is not { } input || p.Output is not { } output)
        {
            return null;
        }

        var kinds = new long?[]
        {
            Pico(input), Pico(p.CachedInput ?? input), Pico(p.CacheCreationInput ?? input), Pico(output), Pico(p.Reasoning ?? output),
        };
        return kinds.Any(k => k is null) ? null : new Price(kinds[0]!.Value, kinds[1]!.Value, kinds[2]!.Value, kinds[3]!.Value, kinds[4]!.Value);
    }

    /// <summary>A price per million tokens in pico-units per token (×10^6); null when negative, above the ceiling or more precise than a micro-unit.</summary>
    public static long? Pico(decimal perMillion)
    {
        if (perMillion < 0 || perMillion > MaxPricePerMillion || DecimalPlaces(perMillion) > MaxPriceDecimals)
        {
            return null;
        }

        return (long)(perMillion * 1_000_000m);
    }

    /// <summary>The number of decimal places a value needs (<c>2.50</c> needs 1).</summary>
    public static int DecimalPlaces(decimal value)
    {
        var places = 0;
        var scaled = Math.Abs(value);
        while (scaled != decimal.Truncate(scaled) && places < 29)
        {
            scaled *= 10;
            places++;
        }

        return places;
    }

    /// <summary>
    /// The unit a budget of <paramref name="amount"/> is counted in: the finest (micro-units first) in which it stays
    /// within Envoy Gateway's uint32 limit, and the limit in that unit, null when the amount needs more decimal places
    /// than that unit has. Null unit when the amount is not positive or above <see cref="MaxBudget"/>.
    /// </summary>
    public static (CostUnit? Unit, long? Limit) UnitFor(decimal amount, string currency)
    {
        if (amount <= 0 || amount > MaxBudget)
        {
            return (null, null);
        }

        for (var decimals = CostUnit.FinestDecimals; decimals >= CostUnit.CoarsestDecimals; decimals--)
        {
            var unit = new CostUnit(currency, decimals);
            var scaled = amount * unit.PerCurrencyUnit;
            if (scaled <= uint.MaxValue)
            {
                return (unit, scaled == decimal.Truncate(scaled) && scaled >= 1 ? (long)scaled : null);
            }
        }

        return (null, null);
    }

    /// <summary>What a request of the given tokens costs at a price, exactly, in the currency.</summary>
    public static decimal CostOf(Price price, long inputTokens, long outputTokens) =>
        ((price.Input * (decimal)inputTokens) + (price.Output * (decimal)outputTokens)) / 1_000_000_000_000m;
}
