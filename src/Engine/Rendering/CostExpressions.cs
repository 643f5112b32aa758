using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Model;

namespace AiGatewayModels.Engine.Rendering;

/// <summary>The token counts AI Gateway gives a cost expression (all uint32 in AI Gateway v1.1's <c>llmcostcel</c>).</summary>
public readonly record struct TokenCounts(uint Input, uint CachedInput, uint CacheCreationInput, uint Output, uint Reasoning);

/// <summary>
/// The CEL expression that computes what a response cost, in a <see cref="CostUnit"/>, for AI Gateway's
/// <c>llmRequestCosts</c> (type CEL). The expression is generated from a grammar too small to go wrong and is evaluated
/// here by the same arithmetic (<see cref="Charge"/>), so tests can hold the CEL text, this evaluation and exact decimal
/// arithmetic to the same amount:
/// <code>
/// expr   := charge | "backend == '" name "' ? " charge " : (" expr ")"
/// charge := "(" sum " > 1000000000u ? 1000000000u : " sum ")"
/// sum    := "(" terms ")" | "((" terms " + " (E - 1) "u) / " E "u)"          E = 10^(6 - the unit's decimals)
/// terms  := "0u" | term (" + " term)* | [term (" + " term)* " + "] "(" term (" + " term)* " + 999999u) / 1000000u"
/// term   := digits "u * " count
/// count  := variable | "(" variable " > " sub " ? " variable " - " sub " : 0u)"
/// sub    := variable | "(" variable " + " variable ")"
/// </code>
/// Every literal carries the <c>u</c> suffix and every variable is one of AI Gateway's uint counts, so the result is a
/// uint by construction; with prices at most <see cref="Rules.Prices.MaxPricePerMillion"/> and counts below 2^32 no
/// step can overflow uint64 (README "Budgets" gives the bound), and the result never exceeds <see cref="MaxCharge"/>.
/// </summary>
public static class CostExpressions
{
    /// <summary>
    /// The most one response may be charged: Envoy drops a hits addend above 10^9 from its descriptor, charging nothing
    /// (<c>MAX_HITS_ADDEND</c> in envoy's <c>source/extensions/filters/common/ratelimit_config/ratelimit_config.cc</c>),
    /// so the expression caps the charge there instead.
    /// </summary>
    public const ulong MaxCharge = 1_000_000_000;

    private const ulong PicoPerMicro = 1_000_000;

    /// <summary>
    /// The expression for a model: one branch per slot whose price differs from the dearest combination of its slots'
    /// prices, matched by the name AI Gateway gives the backend reference, and that dearest combination for any other
    /// name, so a response is never charged less than its slot's price even if the name's form changes upstream.
    /// </summary>
    /// <param name="slots">The name AI Gateway gives each backend reference (the <c>backend</c> variable), and its price.</param>
    public static string For(IReadOnlyList<(string Backend, Price Price)> slots, CostUnit unit)
    {
        var fallback = slots.Select(s => s.Price).Aggregate(Price.Max);
        var sb = new StringBuilder();
        var open = 0;
        foreach (var (backend, price) in slots)
        {
            if (price != fallback)
            {
                sb.Append("backend == '").Append(backend).Append("' ? ");
                AppendCharge(sb, price, unit);
                sb.Append(" : (");
                open++;
            }
        }

        AppendCharge(sb, fallback, unit);
        sb.Append(')', open);
        return sb.ToString();
    }

    /// <summary>The name AI Gateway gives a backend reference of a route rule: the <c>backend</c> variable of a cost expression.</summary>
    /// <remarks>
    /// <c>internalapi.PerRouteRuleRefBackendName</c> (the same form since AI Gateway v0.5); AI Gateway's API docs still
    /// describe it as <c>name.namespace</c>, which its code has not used since.
    /// </remarks>
    public static string BackendName(string @namespace, string backend, string route, int rule, int reference) =>
        string.Create(CultureInfo.InvariantCulture, $"{@namespace}/{backend}/route/{route}/rule/{rule}/ref/{reference}");

    /// <summary>What the expression of <paramref name="price"/> charges for <paramref name="tokens"/>, by the same steps, in checked uint64.</summary>
    public static ulong Charge(Price price, TokenCounts tokens, CostUnit unit)
    {
        checked
        {
            ulong whole = 0, parts = 0;
            foreach (var (pico, count) in Terms(price, tokens))
            {
                whole += ((ulong)pico / PicoPerMicro) * count;
                parts += ((ulong)pico % PicoPerMicro) * count;
            }

            var e = Divisor(unit);
            var sum = (whole + ((parts + (PicoPerMicro - 1)) / PicoPerMicro) + (e - 1)) / e;
            return Math.Min(sum, MaxCharge);
        }
    }

    /// <summary>How many micro-units one unit is: the final division of the expression (1 for micro-units).</summary>
    private static ulong Divisor(CostUnit unit) => (ulong)CostUnit.Pow10(CostUnit.FinestDecimals - unit.Decimals);

    private static void AppendCharge(StringBuilder sb, Price price, CostUnit unit)
    {
        var sum = Sum(price, unit);
        sb.Append('(').Append(sum).Append(" > ").Append(Literal(MaxCharge)).Append(" ? ").Append(Literal(MaxCharge)).Append(" : ").Append(sum).Append(')');
    }

    private static string Sum(Price price, CostUnit unit)
    {
        var whole = new List<string>();
        var parts = new List<string>();
        foreach (var (pico, variable) in Terms(price))
        {
            if ((ulong)pico / PicoPerMicro is var w and > 0)
            {
                whole.Add(Literal(w) + " * " + variable);
            }

            if ((ulong)pico % PicoPerMicro is var p and > 0)
            {
                parts.Add(Literal(p) + " * " + variable);
            }
        }

        if (parts.Count > 0)
        {
            whole.Add("(" + string.Join(" + ", parts) + " + " + Literal(PicoPerMicro - 1) + ") / " + Literal(PicoPerMicro));
        }

        var sum = whole.Count == 0 ? "0u" : string.Join(" + ", whole);

        var e = Divisor(unit);
        return e == 1 ? "(" + sum + ")" : "((" + sum + " + " + Literal(e - 1) + ") / " + Literal(e) + ")";
    }

    private static string Literal(ulong value) => value.ToString(CultureInfo.InvariantCulture) + "u";

    /// <summary>
    /// Each priced count of the expression with its price in pico-units per token. Input tokens include cached and
    /// cache-creation tokens, output tokens include reasoning tokens (AI Gateway's accounting), so a kind priced apart
    /// is taken out of its total; a difference is floored at 0 (CEL's uint subtraction fails below 0).
    /// </summary>
    private static IEnumerable<(long Pico, string Variable)> Terms(Price p)
    {
        var cachedApart = p.CachedInput != p.Input;
        var creationApart = p.CacheCreationInput != p.Input;
        var subtrahend = (cachedApart, creationApart) switch
        {
            (true, true) => "cached_input_tokens + cache_creation_input_tokens",
            (true, false) => "cached_input_tokens",
            (false, true) => "cache_creation_input_tokens",
            _ => null,
        };
        yield return (p.Input, subtrahend is null ? "input_tokens" : Floored("input_tokens", subtrahend));
        if (cachedApart)
        {
            yield return (p.CachedInput, "cached_input_tokens");
        }

        if (creationApart)
        {
            yield return (p.CacheCreationInput, "cache_creation_input_tokens");
        }

        var reasoningApart = p.Reasoning != p.Output;
        yield return (p.Output, reasoningApart ? Floored("output_tokens", "reasoning_tokens") : "output_tokens");
        if (reasoningApart)
        {
            yield return (p.Reasoning, "reasoning_tokens");
        }
    }

    /// <summary>The same terms as counts: what <see cref="Terms(Price)"/>'s variables hold for <paramref name="t"/>.</summary>
    private static IEnumerable<(long Pico, ulong Count)> Terms(Price p, TokenCounts t)
    {
        var cachedApart = p.CachedInput != p.Input;
        var creationApart = p.CacheCreationInput != p.Input;
        var taken = (cachedApart ? (ulong)t.CachedInput : 0) + (creationApart ? (ulong)t.CacheCreationInput : 0);
        yield return (p.Input, t.Input > taken ? t.Input - taken : 0);
        if (cachedApart)
        {
            yield return (p.CachedInput, t.CachedInput);
        }

        if (creationApart)
        {
            yield return (p.CacheCreationInput, t.CacheCreationInput);
        }

        var reasoningApart = p.Reasoning != p.Output;
        yield return (p.Output, reasoningApart ? (t.Output > t.Reasoning ? (ulong)(t.Output - t.Reasoning) : 0) : t.Output);
        if (reasoningApart)
        {
            yield return (p.Reasoning, t.Reasoning);
        }
    }

    private static string Floored(string variable, string subtrahend) =>
        $"({variable} > {Parenthesised(subtrahend)} ? {variable} - {Parenthesised(subtrahend)} : 0u)";

    private static string Parenthesised(string s) => s.Contains(' ', StringComparison.Ordinal) ? "(" + s + ")" : s;
}
