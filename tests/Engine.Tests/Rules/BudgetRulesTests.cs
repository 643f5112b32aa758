using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using System.Globalization;
using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

/// <summary>Prices, budgets and limits across models: the rule families, and the facts they share with normalising.</summary>
public sealed partial class BudgetRulesTests
{
    private const string EnvoyGateway = "rateLimitPolicy: {enabled: false}\nrateLimiting: {engine: EnvoyGateway}\n";

    private const string Price = "modelDefaults:\n  price: {currency: USD, input: 2.50, cachedInput: 1.25, output: 10}\n";

    private static string Values(string top, string modelBody = "") =>
        Specs.Gateway + top + Specs.Backends + "models:\n  m0:\n" + modelBody + Specs.TwoLevels;

    private static List<Diagnostic> All(string yaml, ModelsPolicy? policy = null, string ns = "default")
    {
        var found = new List<Diagnostic>();
        foreach (var family in new[] { LimitRules.Check, PriceRules.Check, BudgetRules.Check })
        {
            found.AddRange(Specs.Run(family, yaml, policy, ns));
        }

        return found;
    }

    [Fact]
    public void Values_with_a_priced_budget_on_Envoy_Gateway_draw_no_error()
    {
        Specs.NoErrors(All(Values(EnvoyGateway + Price, "    limits: [{budget: 25, window: Day}]\n")));
    }

    [Theory]
    [InlineData("2.5", 2_500_000)]
    [InlineData("0.000001", 1)]
    [InlineData("0", 0)]
    [InlineData("10000000", 10_000_000_000_000)]
    public void A_price_per_million_tokens_is_pico_units_per_token(string written, long pico) =>
        Assert.Equal(pico, Prices.Pico(decimal.Parse(written, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("-0.01")]
    [InlineData("0.0000001")]
    [InlineData("10000000.000001")]
    public void A_price_that_is_negative_too_precise_or_absurd_has_no_pico_value(string written) =>
        Assert.Null(Prices.Pico(decimal.Parse(written, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Unwritten_kinds_default_to_input_and_output()
    {
        var spec = Specs.Bind(Values(Price));
        var price = Prices.ToPrice(spec.ModelDefaults!.Price!);
        Assert.Equal(new Price(2_500_000, 1_250_000, 2_500_000, 10_000_000, 10_000_000), price);
    }

    [Theory]
    [InlineData("4294.967295", 6, 4_294_967_295)]
    [InlineData("4294.9673", 5, 429_496_730)]
    [InlineData("100", 6, 100_000_000)]
    [InlineData("20000", 5, 2_000_000_000)]
    [InlineData("1000000", 3, 1_000_000_000)]
    [InlineData("42949672.95", 2, 4_294_967_295)]
    [InlineData("0.000001", 6, 1)]
    public void A_budget_is_counted_in_the_finest_unit_it_fits_in(string amount, int decimals, long limit)
    {
        var (unit, counted) = Prices.UnitFor(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "USD");
        Assert.Equal(decimals, unit!.Decimals);
        Assert.Equal(limit, counted);
        Assert.InRange(counted!.Value, 1, uint.MaxValue);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("42949672.96")]
    public void A_budget_beyond_what_Envoy_Gateway_counts_has_no_unit(string amount) =>
        Assert.Null(Prices.UnitFor(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "USD").Unit);

    [Fact]
    public void The_budget_unit_names_its_metadata_key()
    {
        Assert.Equal("llm_cost_usd_micro", new CostUnit("USD", 6).MetadataKey);
        Assert.Equal("llm_cost_eur_centi", new CostUnit("EUR", 2).MetadataKey);
        Assert.Equal("12.5 USD", new CostUnit("USD", 6).Format(12_500_000));
    }

    [Fact]
    public void The_values_currency_is_the_first_price_s_and_every_other_must_match_it()
    {
        var yaml = Values(EnvoyGateway + Price, "    price: {currency: EUR, input: 1, output: 1}\n");
        Assert.Equal("USD", Prices.Currency(Specs.Bind(yaml)));
        Specs.SingleError(All(yaml), "models.m0.price.currency", "EUR does not match USD of modelDefaults.price");
    }

    [Fact]
    public void A_model_a_budget_charges_needs_a_price_and_one_priced_slot_is_not_enough()
    {
        var yaml = Specs.Gateway + EnvoyGateway + Specs.Backends
            + "models:\n  m0:\n    limits: [{budget: 25, window: Day}]\n    backends:\n      a: {ref: openai}\n      b: {ref: anthropic, priority: 1, price: {currency: USD, input: 3, output: 15}}\n";
        Specs.SingleError(All(yaml), "models.m0.price", "slot a has no price");
    }

    [Fact]
    public void Disabled_models_need_no_price()
    {
        var yaml = Specs.Gateway + "rateLimitPolicy: {enabled: false}\nrateLimiting:\n  engine: EnvoyGateway\n  acrossModels: [{budget: 25, window: Day}]\n"
            + Specs.Backends + "models:\n  m0:\n    enabled: false\n" + Specs.TwoLevels;
        Specs.NoErrors(All(yaml));
    }

    [Fact]
    public void A_budget_below_a_plausible_request_is_a_warning_that_names_the_dearest_slot()
    {
        var yaml = Values(EnvoyGateway + Price, "    limits: [{budget: 0.01, window: Day}]\n");
        var warning = Assert.Single(All(yaml), d => d.Path == "models.m0.limits[0].budget");
        Assert.False(warning.IsError);
        Assert.Contains("0.01 USD is less than one plausible request costs (0.0125 USD", warning.Message, StringComparison.Ordinal);
        Specs.NoErrors(All(yaml));
    }

    [Fact]
    public void The_policy_ceiling_on_budgets_is_in_its_currency()
    {
        var policy = ModelsPolicy.Default with { Budgets = new BudgetPolicy { Currency = "USD", MaxPerWindow = 100 } };
        Specs.SingleError(All(Values(EnvoyGateway + Price, "    limits: [{budget: 100.01, window: Day}]\n"), policy), "models.m0.limits[0].budget", "exceeds the policy's maximum budget of 100 USD");
        Specs.NoErrors(All(Values(EnvoyGateway + Price, "    limits: [{budget: 100, window: Day}]\n"), policy));
    }

    [Fact]
    public void A_per_client_budget_across_models_satisfies_the_policy_for_every_model()
    {
        var policy = ModelsPolicy.Default with { Budgets = new BudgetPolicy { PerClient = PerClientLimits.Required } };
        var without = Values(EnvoyGateway + Price, "    limits: [{budget: 25, window: Day}]\n");
        Specs.SingleError(All(without, policy), "models.m0.limits", "requires a per-client budget");
        var across = Values("rateLimitPolicy: {enabled: false}\nrateLimiting:\n  engine: EnvoyGateway\n  acrossModels: [{budget: 25, window: Day, per: client}, {budget: 500, window: Day}]\n" + Price);
        Specs.NoErrors(All(across, policy));
    }

    [Theory]
    [InlineData("v1.3", "need Envoy Gateway v1.4 or later")]
    [InlineData("v1.4", null)]
    public void Limits_across_models_need_a_release_with_shared_rules_and_mergeType(string release, string? fragment)
    {
        var (policy, diagnostics) = PolicyReader.Read($"rateLimiting: {{envoyGatewayVersion: {release}}}\n");
        Assert.Empty(diagnostics);
        var yaml = Values("rateLimitPolicy: {enabled: false}\nrateLimiting:\n  engine: EnvoyGateway\n  acrossModels: [{budget: 500, window: Day}]\n" + Price);
        if (fragment is null)
        {
            Specs.NoErrors(All(yaml, policy));
        }
        else
        {
            Specs.SingleError(All(yaml, policy), "rateLimiting.acrossModels", fragment);
        }
    }

    [Fact]
    public void Limits_across_models_need_the_Gateway_in_the_values_namespace()
    {
        var yaml = "gatewayRef: {name: ai-gateway, namespace: gateway-system}\nrateLimitPolicy: {enabled: false}\nrateLimiting:\n  engine: EnvoyGateway\n  acrossModels: [{requests: 1000, window: Day}]\n"
            + Specs.Backends + "models:\n  m0:\n" + Specs.TwoLevels;
        Specs.SingleError(All(yaml, ns: "team-a"), "rateLimiting.acrossModels", "Gateway gateway-system/ai-gateway is not in team-a");
        Specs.NoErrors(All(yaml, ns: "gateway-system"));
    }

    [Fact]
    public void The_caps_count_each_budget_unit_as_one_record_of_the_route()
    {
        // budgets of 100 and 1,000 are counted in micro-units, 10,000 to 1,000,000 in three coarser units: four records
        var budgets = string.Join(", ", Enumerable.Range(0, 5).Select(i => $"{{budget: {Math.Pow(10, i + 2)}, window: Day}}"));
        var yaml = Values(EnvoyGateway + Price, $"    limits: [{budgets}]\n");
        Specs.NoErrors(All(yaml));
        var spec = Specs.Bind(yaml);
        Assert.Equal(4, spec.Models[0].Limits!.Select(l => BudgetRules.UnitName(l, spec)).Distinct().Count());
    }

    [Theory]
    [InlineData("Month", "user-monthly-budget", "is not a calendar month")]
    [InlineData("Year", null, "is not a calendar year")]
    [InlineData("Week", "weekly", "starts on Thursday")]
    [InlineData("Day", "user-monthly-budget", "the name \"user-monthly-budget\" says month, but it is counted per Day")]
    [InlineData("Hour", "daily-cap", "says day, but it is counted per Hour")]
    public void Windows_whose_words_promise_more_than_Envoy_Gateway_counts_draw_a_notice(string window, string? name, string fragment)
    {
        var notice = LimitWindows.Notice(LimitEngine.EnvoyGateway, window, name);
        Assert.NotNull(notice);
        Assert.Contains(fragment, notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Day", "user-daily-budget")]
    [InlineData("Minute", null)]
    [InlineData("Hour", "hourly")]
    [InlineData("Day", "second-tier")]
    public void Windows_that_mean_what_they_say_draw_none(string window, string? name) =>
        Assert.Null(LimitWindows.Notice(LimitEngine.EnvoyGateway, window, name));

    [Fact]
    public void Kuadrant_windows_are_durations_and_draw_no_notice() =>
        Assert.Null(LimitWindows.Notice(LimitEngine.Kuadrant, "720h", "monthly"));

    /// <summary>The reset dates README "Budgets" lists, from the rate-limit service's arithmetic.</summary>
    [Theory]
    [InlineData("Month", "2026-01-15T12:00:00Z", "2026-01-07T00:00:00Z", "2026-02-06T00:00:00Z")]
    [InlineData("Month", "2026-03-08T00:00:00Z", "2026-03-08T00:00:00Z", "2026-04-07T00:00:00Z")]
    [InlineData("Month", "2026-12-31T23:59:59Z", "2026-12-03T00:00:00Z", "2027-01-02T00:00:00Z")]
    [InlineData("Year", "2026-06-01T00:00:00Z", "2025-12-18T00:00:00Z", "2026-12-18T00:00:00Z")]
    [InlineData("Year", "2028-12-17T00:00:00Z", "2028-12-17T00:00:00Z", "2029-12-17T00:00:00Z")]
    [InlineData("Week", "2026-01-05T09:00:00Z", "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z")]
    [InlineData("Day", "2026-01-05T23:59:59Z", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")]
    public void Envoy_Gateway_windows_start_on_a_grid_from_1970(string unit, string at, string start, string end)
    {
        var (s, e) = LimitWindows.EnvoyGatewayWindow(unit, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), s);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), e);
    }

    /// <summary>
    /// Every reset date README "Budgets" lists for Month and Year is the start of an Envoy Gateway window, and the dates
    /// of a row follow each other window by window: the table cannot drift from the rate-limit service's arithmetic.
    /// </summary>
    [Theory]
    [InlineData("Month", 15)]
    [InlineData("Year", 5)]
    public void The_reset_dates_in_the_README_are_Envoy_Gateway_window_starts(string unit, int listed)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("\n### When a budget resets\n", StringComparison.Ordinal)..];
        var row = section.Split('\n').Single(l => l.StartsWith($"| `{unit}` |", StringComparison.Ordinal));
        var dates = IsoDate().Matches(row).Select(m => DateTimeOffset.ParseExact(m.Value + "Z", "yyyy-MM-ddK", CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(listed, dates.Count);
        for (var i = 0; i < dates.Count; i++)
        {
            var (start, end) = LimitWindows.EnvoyGatewayWindow(unit, dates[i]);
            Assert.Equal(dates[i], start);
            if (i + 1 < dates.Count)
            {
                Assert.Equal(end, dates[i + 1]);
            }
        }
    }

    [Theory]
    [InlineData("usd", "write it in capitals: USD")]
    [InlineData("$", "e.g. USD or EUR")]
    [InlineData("EURO", "e.g. USD or EUR")]
    public void Currencies_are_ISO_4217_codes(string currency, string fragment)
    {
        Assert.Contains(fragment, PriceRules.CurrencyProblem(currency), StringComparison.Ordinal);
        Assert.Null(PriceRules.CurrencyProblem("JPY"));
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}
