using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.TestSupport.Cases;
using Cel;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// The cost expressions the engine writes into <c>llmRequestCosts</c>, compiled and evaluated with the Cel package
/// against the variables AI Gateway v1.1 declares (<c>internal/llmcostcel/cel.go</c>: model, backend, route_name as
/// strings; the six token counts as uint): each charges exactly the cost of a request at its slot's price, rounded up
/// to the budget's unit, never more than <see cref="CostExpressions.MaxCharge"/>, and never overflows.
/// </summary>
public sealed partial class CostExpressionTests
{
    private static readonly string[] StringVariables = ["model", "backend", "route_name"];

    private static readonly string[] UintVariables =
        ["input_tokens", "cached_input_tokens", "cache_creation_input_tokens", "output_tokens", "total_tokens", "reasoning_tokens"];

    /// <summary>Requests as AI Gateway counts them: cached and cache-creation tokens within input, reasoning within output.</summary>
    private static readonly TokenCounts[] Samples =
    [
        new(0, 0, 0, 0, 0),
        new(1, 0, 0, 1, 0),
        new(12_000, 4_000, 0, 800, 0),
        new(200_000, 150_000, 30_000, 8_000, 6_000),
        new(1_000_000, 0, 1_000_000, 100_000, 100_000),
        new(3_999_999, 1_234_567, 7, 999_999, 333_333),
        new(10_000_000, 9_999_999, 1, 2_000_000, 1_999_999),
    ];

    private static readonly CelEnvironment Env = new(null, null);

    private static readonly Lock Gate = new();

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var c in ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()))
        {
            data.Add(c.Directory + "|" + c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_cost_expression_charges_each_slot_exactly_its_price_rounded_up(string input)
    {
        var (model, objects) = Render(input);
        foreach (var route in objects.Where(o => o.Kind == ResourceKind.AIGatewayRoute))
        {
            var m = model.Models.Single(x => x.Key == route.Name);
            foreach (var cost in route.Manifest["spec"]!["llmRequestCosts"] as JsonArray ?? [])
            {
                if ((string?)cost!["type"] != "CEL")
                {
                    continue;
                }

                var expression = (string)cost["cel"]!;
                AssertGrammar(expression);
                var unit = UnitOf((string)cost["metadataKey"]!);
                var slots = m.Slots.Select((s, i) => (Name: CostExpressions.BackendName(model.Namespace, s.BackendResourceName, m.Key, 0, i), Price: s.Price!)).ToList();
                var dearest = slots.Select(s => s.Price).Aggregate(Price.Max);
                foreach (var tokens in Samples)
                {
                    foreach (var (name, price) in slots.Append(("some/other/name", dearest)))
                    {
                        var charged = Evaluate(expression, name, tokens);
                        Assert.Equal(Exact(price, tokens, unit), charged);
                        Assert.Equal(CostExpressions.Charge(price, tokens, unit), charged);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_cases_hold_cost_expressions_with_branches_per_slot_and_every_unit_size()
    {
        var expressions = ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()).SelectMany(c => Render(c.Directory + "|" + c.Name).Objects)
            .Where(o => o.Kind == ResourceKind.AIGatewayRoute)
            .SelectMany(o => o.Manifest["spec"]!["llmRequestCosts"] as JsonArray ?? [])
            .Where(c => (string?)c!["type"] == "CEL")
            .Select(c => ((string)c!["metadataKey"]!, (string)c["cel"]!)).ToList();
        Assert.Contains(expressions, e => e.Item2.StartsWith("backend == ", StringComparison.Ordinal));
        Assert.Contains(expressions, e => !e.Item2.StartsWith("backend == ", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Item1.EndsWith("_micro", StringComparison.Ordinal));
        Assert.Contains(expressions, e => !e.Item1.EndsWith("_micro", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Item2.Contains("reasoning_tokens", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Item2.Contains("cache_creation_input_tokens", StringComparison.Ordinal));
    }

    /// <summary>The README's worked example: 12,000 input tokens of which 4,000 cached, 800 output, at 2.50 / 1.25 / 10.00 USD per million.</summary>
    [Theory]
    [InlineData(6, 33_000)]
    [InlineData(5, 3_300)]
    [InlineData(3, 33)]
    [InlineData(2, 4)]
    public void The_worked_example_costs_0_033_USD(int decimals, ulong expected)
    {
        var price = new Price(2_500_000, 1_250_000, 2_500_000, 10_000_000, 10_000_000);
        var unit = new CostUnit("USD", decimals);
        var expression = CostExpressions.For([("team-a/openai/route/gpt-4o/rule/0/ref/0", price)], unit);
        Assert.Equal(expected, Evaluate(expression, "team-a/openai/route/gpt-4o/rule/0/ref/0", new TokenCounts(12_000, 4_000, 0, 800, 0)));
    }

    /// <summary>
    /// README "Budgets", worked through deploy/examples/budgets.yaml as rendered: the same request costs 33,000 micro-USD
    /// when OpenAI serves it and 37,200 when it fails over to Anthropic's price.
    /// </summary>
    [Theory]
    [InlineData("openai", 33_000UL)]
    [InlineData("research-anthropic", 37_200UL)]
    public void The_budgets_example_charges_the_README_amounts(string servedBy, ulong expected)
    {
        var (model, objects) = Render(ValuesCase.ExamplesDir + "|budgets");
        var route = objects.Single(o => o.Kind == ResourceKind.AIGatewayRoute && o.Name == "research-gpt-4o");
        var cost = Assert.Single(route.Manifest["spec"]!["llmRequestCosts"]!.AsArray());
        Assert.Equal("llm_cost_usd_micro", (string)cost!["metadataKey"]!);
        var refs = route.Manifest["spec"]!["rules"]![0]!["backendRefs"]!.AsArray();
        var index = refs.Select((r, i) => ((string)r!["name"]!, i)).Single(r => r.Item1.EndsWith(servedBy, StringComparison.Ordinal)).i;
        var backend = CostExpressions.BackendName(model.Namespace, (string)refs[index]!["name"]!, "research-gpt-4o", 0, index);
        Assert.Equal(expected, Evaluate((string)cost["cel"]!, backend, new TokenCounts(12_000, 4_000, 0, 800, 0)));
    }

    /// <summary>
    /// At the highest price the rules allow for every kind, priced apart, and every count at uint32's maximum, no step
    /// overflows uint64 (the Cel package, like cel-go, fails on overflow) and the charge is capped.
    /// </summary>
    [Theory]
    [InlineData(6)]
    [InlineData(2)]
    public void The_largest_prices_and_counts_do_not_overflow_and_are_capped(int decimals)
    {
        var max = (long)(Prices.MaxPricePerMillion * 1_000_000m);
        var prices = new[]
        {
            new Price(max, max - 1, max - 2, max - 3, max - 4),
            new Price(max, max, max, max, max),
            new Price(999_999, 999_998, 999_997, 999_996, 999_995),
        };
        var unit = new CostUnit("USD", decimals);
        const uint M = uint.MaxValue;
        TokenCounts[] extremes = [new(M, M, M, M, M), new(M, 0, 0, M, 0), new(M, M, 0, 0, M), new(M, 0, M, M, 1), new(0, M, M, 0, M)];
        foreach (var price in prices)
        {
            var expression = CostExpressions.For([("n", price)], unit);
            foreach (var tokens in extremes)
            {
                var charged = Evaluate(expression, "n", tokens);
                Assert.Equal(CostExpressions.Charge(price, tokens, unit), charged);
                Assert.InRange(charged, 0UL, CostExpressions.MaxCharge);
                if ((ulong)tokens.CachedInput + tokens.CacheCreationInput <= tokens.Input && tokens.Reasoning <= tokens.Output)
                {
                    Assert.Equal(Exact(price, tokens, unit), charged);
                }
            }

            Assert.Equal(price.Input >= 1_000_000 ? CostExpressions.MaxCharge : Exact(price, extremes[1], unit), Evaluate(expression, "n", extremes[1]));

            // the largest intermediate: every term at its largest count, plus the rounding constants
            var bound = (BigInteger)uint.MaxValue * 5 * (max / 1_000_000) + ((BigInteger)uint.MaxValue * 5 * 999_999 + 999_999) / 1_000_000 + 9_999;
            Assert.True(bound < ulong.MaxValue / 10, $"the bound {bound} leaves less than a factor 10 to uint64");
        }
    }

    /// <summary>
    /// The largest expression the rules allow (16 slots, each priced apart in every kind, in a coarse unit) stays far
    /// inside cel-go's parser limits, which AI Gateway's controller compiles with: 100,000 code points, and 250 levels of
    /// nesting (each slot's branch nests its successor in one pair of parentheses, and a charge nests a few levels more
    /// within its own, so the depth of the parentheses bounds the depth of the parse).
    /// </summary>
    [Fact]
    public void The_largest_expression_stays_inside_cel_go_parser_limits()
    {
        var slots = Enumerable.Range(0, 16)
            .Select(i => ($"a-long-namespace-name/backend-{i:00}-with-a-long-name/route/a-long-model-key/rule/0/ref/{i}", new Price(9_999_999_000_001 - i, 1_234_567 + i, 7_654_321 + i, 9_999_999_999_999 - i, 333_333 + i)))
            .ToList();
        var expression = CostExpressions.For(slots, new CostUnit("USD", 3));
        Assert.True(expression.Length < 50_000, $"{expression.Length} characters");
        int depth = 0, deepest = 0;
        foreach (var c in expression)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            deepest = Math.Max(deepest, depth);
        }

        Assert.True(deepest < 50, $"nesting {deepest}");
        Assert.Equal(CostExpressions.Charge(slots[5].Item2, new TokenCounts(10_000, 2_000, 1_000, 900, 300), new CostUnit("USD", 3)), Evaluate(expression, slots[5].Item1, new TokenCounts(10_000, 2_000, 1_000, 900, 300)));
    }

    /// <summary>Prices and requests drawn at random (seeded): the Cel package, the engine's own arithmetic and exact rational arithmetic agree.</summary>
    [Fact]
    public void Random_prices_and_requests_are_charged_exactly()
    {
        var random = new Random(20_260_111);
        for (var i = 0; i < 400; i++)
        {
            long Kind() => random.Next(4) switch
            {
                0 => 0,
                1 => random.NextInt64(1, 1_000_000),
                2 => random.NextInt64(1, 100_000_000_000),
                _ => random.NextInt64(1, (long)(Prices.MaxPricePerMillion * 1_000_000m) + 1),
            };

            var input = Kind();
            var output = Kind();
            var price = new Price(input, random.Next(3) == 0 ? input : Kind(), random.Next(3) == 0 ? input : Kind(), output, random.Next(3) == 0 ? output : Kind());
            var other = new Price(Kind(), Kind(), Kind(), Kind(), Kind());
            var unit = new CostUnit("EUR", random.Next(CostUnit.CoarsestDecimals, CostUnit.FinestDecimals + 1));
            var cached = (uint)random.Next(0, 1_000_000);
            var creation = (uint)random.Next(0, 1_000_000);
            var reasoning = (uint)random.Next(0, 1_000_000);
            var tokens = new TokenCounts(cached + creation + (uint)random.Next(0, 5_000_000), cached, creation, reasoning + (uint)random.Next(0, 1_000_000), reasoning);
            var expression = CostExpressions.For([("a", price), ("b", other)], unit);
            AssertGrammar(expression);
            Assert.Equal(Exact(price, tokens, unit), Evaluate(expression, "a", tokens));
            Assert.Equal(Exact(Price.Max(price, other), tokens, unit), Evaluate(expression, "x", tokens));
        }
    }

    /// <summary>Counts a provider might report inconsistently (more cached than input tokens) charge no less than 0 and fail nothing.</summary>
    [Fact]
    public void Inconsistent_counts_are_floored_not_failed()
    {
        var price = new Price(2_500_000, 250_000, 3_750_000, 10_000_000, 12_000_000);
        var expression = CostExpressions.For([("a", price)], new CostUnit("USD", 6));
        var tokens = new TokenCounts(10, 500, 500, 10, 900);

        // uncached input and non-reasoning output floor at 0: 500 cached, 500 creation and 900 reasoning tokens are charged
        Assert.Equal(CostExpressions.Charge(price, tokens, new CostUnit("USD", 6)), Evaluate(expression, "a", tokens));
        Assert.Equal(((500UL * 250_000) + (500UL * 3_750_000) + (900UL * 12_000_000) + 999_999) / 1_000_000, Evaluate(expression, "a", tokens));
    }

    /// <summary>
    /// cel-go, which AI Gateway compiles with, checks types statically; the Cel package does not (it accepts
    /// <c>input_tokens * 2</c>, an int times a uint, which cel-go rejects). So the grammar is checked here: every
    /// integer literal is a uint literal, every identifier is one AI Gateway declares, and strings only name a backend.
    /// </summary>
    private static void AssertGrammar(string expression)
    {
        var withoutStrings = StringLiteral().Replace(expression, "''");
        foreach (Match m in Token().Matches(withoutStrings))
        {
            var token = m.Value;
            if (char.IsAsciiDigit(token[0]))
            {
                Assert.True(token.EndsWith('u'), $"integer literal {token} is not a uint literal in {expression}");
            }
            else
            {
                Assert.True(UintVariables.Contains(token) || token == "backend", $"{token} is not a variable AI Gateway declares (or not one a cost may read) in {expression}");
            }
        }

        Assert.DoesNotMatch("[^a-z0-9_ ()+*/?:<>=|&!'-]", withoutStrings);
        foreach (Match s in StringLiteral().Matches(expression))
        {
            Assert.Matches(@"backend == '[a-z0-9./-]+'\z", expression[Math.Max(0, s.Index - 11)..(s.Index + s.Length)]);
        }
    }

    private static ulong Evaluate(string expression, string backend, TokenCounts t)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["model"] = "some-model",
            ["backend"] = backend,
            ["route_name"] = "ns/route",
            ["input_tokens"] = (ulong)t.Input,
            ["cached_input_tokens"] = (ulong)t.CachedInput,
            ["cache_creation_input_tokens"] = (ulong)t.CacheCreationInput,
            ["output_tokens"] = (ulong)t.Output,
            ["total_tokens"] = (ulong)t.Input + t.Output,
            ["reasoning_tokens"] = (ulong)t.Reasoning,
        };
        Assert.Equal(StringVariables.Length + UintVariables.Length, variables.Count);
        object? result;
        lock (Gate)
        {
            result = Env.Compile(expression)(variables);
        }

        return Assert.IsType<ulong>(result);
    }

    /// <summary>
    /// The charge by exact rational arithmetic: each kind of token at its price (input tokens hold cached and
    /// cache-creation ones, output tokens reasoning ones), rounded up to the unit, capped at the most Envoy adds.
    /// </summary>
    private static ulong Exact(Price p, TokenCounts t, CostUnit unit)
    {
        var uncachedInput = (BigInteger)t.Input - (p.CachedInput != p.Input ? t.CachedInput : 0) - (p.CacheCreationInput != p.Input ? t.CacheCreationInput : 0);
        var plainOutput = (BigInteger)t.Output - (p.Reasoning != p.Output ? t.Reasoning : 0);
        var pico = (uncachedInput * p.Input)
            + (p.CachedInput != p.Input ? (BigInteger)t.CachedInput * p.CachedInput : 0)
            + (p.CacheCreationInput != p.Input ? (BigInteger)t.CacheCreationInput * p.CacheCreationInput : 0)
            + (plainOutput * p.Output)
            + (p.Reasoning != p.Output ? (BigInteger)t.Reasoning * p.Reasoning : 0);
        var perUnit = BigInteger.Pow(10, 12 - unit.Decimals);
        var charged = (pico + perUnit - 1) / perUnit;
        return (ulong)BigInteger.Min(charged, CostExpressions.MaxCharge);
    }

    private static CostUnit UnitOf(string metadataKey)
    {
        var parts = metadataKey.Split('_');
        var decimals = Enumerable.Range(CostUnit.CoarsestDecimals, CostUnit.FinestDecimals - CostUnit.CoarsestDecimals + 1)
            .Single(d => new CostUnit("X", d).Name == parts[^1]);
        var unit = new CostUnit(parts[^2].ToUpperInvariant(), decimals);
        Assert.Equal(metadataKey, unit.MetadataKey);
        return unit;
    }

    private static (ValidatedModel Model, IReadOnlyList<RenderedObject> Objects) Render(string input)
    {
        var (directory, name) = (input[..input.IndexOf('|', StringComparison.Ordinal)], input[(input.IndexOf('|', StringComparison.Ordinal) + 1)..]);
        var c = ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()).Single(v => v.Directory == directory && v.Name == name);
        var evaluation = ValuesEvaluator.Evaluate(c.Document, c.Policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
        return (evaluation.Model!, Renderer.Render(evaluation.Model!).Objects);
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*|[0-9]+u?")]
    private static partial Regex Token();
}
