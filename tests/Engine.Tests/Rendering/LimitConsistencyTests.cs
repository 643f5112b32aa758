using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.TestSupport.Cases;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rendering;

/// <summary>
/// What a model's objects say to each other, over every bundled example and valid case: a rate-limit rule only charges
/// a metadata key that the same model's AIGatewayRoute records in <c>llmRequestCosts</c> (and the route records none
/// that no rule charges), every rule selects the model by its own <c>modelMatch</c>, and every policy targets the
/// HTTPRoute of that model, within the upstream caps. The one policy of limits across models targets the Gateway,
/// shares every rule, selects exactly the values' models, charges only keys every model's route records, and every
/// model's own policy merges it.
/// </summary>
public sealed class LimitConsistencyTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var input in InputNames())
        {
            data.Add(input);
        }

        return data;
    }

    private static IEnumerable<string> InputNames() =>
        ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()).Select(c => c.Directory + "|" + c.Name);

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Rules_charge_only_what_the_model_s_route_records_and_select_the_model_by_its_id(string input)
    {
        var objects = Render(input);
        var routes = objects.Where(o => o.Kind == ResourceKind.AIGatewayRoute).ToDictionary(o => o.Name, o => o.Manifest["spec"]!.AsObject());
        var acrossCharged = AcrossModels(objects, routes);
        foreach (var policy in objects.Where(o => o.Kind == ResourceKind.BackendTrafficPolicy && !IsOnGateway(o)))
        {
            var spec = policy.Manifest["spec"]!.AsObject();
            Assert.Equal(acrossCharged is null ? null : "StrategicMerge", (string?)spec["mergeType"]);
            var target = Assert.Single(spec["targetRefs"]!.AsArray())!;
            Assert.Equal("HTTPRoute", (string?)target["kind"]);
            var routeName = (string)target["name"]!;
            Assert.True(routes.TryGetValue(routeName, out var route), $"{policy.Name} targets {routeName}, which no AIGatewayRoute generates");
            Assert.Equal(ObjectNames.TrafficPolicy(routeName), policy.Name);

            var recorded = (route!["llmRequestCosts"] as JsonArray ?? []).Select(c => (string)c!["metadataKey"]!).ToList();
            Assert.Equal(recorded.Distinct().Count(), recorded.Count);
            Assert.True(recorded.Count <= UpstreamCaps.LlmRequestCostsPerRoute);
            var modelMatch = (string)route["rules"]![0]!["matches"]![0]!["headers"]![0]!["value"]!;
            var rules = spec["rateLimit"]?["global"]?["rules"] as JsonArray ?? [];
            Assert.True(rules.Count <= UpstreamCaps.GlobalRateLimitRules(new Version(1, 8)), $"{policy.Name}: {rules.Count} rules");
            var charged = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                var selectors = rule!["clientSelectors"]!.AsArray();
                Assert.InRange(selectors.Count, 1, UpstreamCaps.ClientSelectorsPerRule);
                var modelHeaders = selectors.SelectMany(s => s!["headers"]!.AsArray()).Where(h => (string?)h!["name"] == WellKnown.ModelHeader).ToList();
                var modelHeader = Assert.Single(modelHeaders)!;
                Assert.Equal("Exact", (string?)modelHeader["type"]);
                Assert.Equal(modelMatch, (string?)modelHeader["value"]);

                if (rule["cost"]?["response"] is { } response)
                {
                    Assert.Equal("Metadata", (string?)response["from"]);
                    Assert.Equal(LimitObjects.MetadataNamespace, (string?)response["metadata"]!["namespace"]);
                    var key = (string)response["metadata"]!["key"]!;
                    Assert.True(recorded.Contains(key), $"{policy.Name} charges {key}, which route {routeName} does not record (it records: {string.Join(", ", recorded)})");
                    charged.Add(key);

                    // tokens are charged after the response only: the request itself costs nothing
                    Assert.Equal("Number", (string?)rule["cost"]!["request"]!["from"]);
                    Assert.Equal(0, (long)rule["cost"]!["request"]!["number"]!);
                }
            }

            charged.UnionWith(acrossCharged ?? []);
            Assert.True(recorded.All(charged.Contains), $"route {routeName} records {string.Join(", ", recorded.Except(charged))} that no rule charges");
        }

        // a route records token counts and costs only for a policy that charges them: its own, or the one across models
        foreach (var (name, route) in routes.Where(r => r.Value["llmRequestCosts"] is not null))
        {
            Assert.True(acrossCharged is { Count: > 0 } || objects.Any(o => o.Kind == ResourceKind.BackendTrafficPolicy && o.Name == ObjectNames.TrafficPolicy(name) && o.Manifest["spec"]!["rateLimit"] is not null),
                $"route {name} records costs that no policy charges");
        }

        foreach (var kuadrant in objects.Where(o => o.Kind == ResourceKind.RateLimitPolicy || o.Kind == ResourceKind.TokenRateLimitPolicy))
        {
            var target = kuadrant.Manifest["spec"]!["targetRef"]!;
            Assert.Equal("HTTPRoute", (string?)target["kind"]);
            Assert.True(routes.ContainsKey((string)target["name"]!), $"{kuadrant.Name} targets a route no model generates");
            foreach (var (_, limit) in kuadrant.Manifest["spec"]!["limits"]!.AsObject())
            {
                foreach (var counter in limit!["counters"] as JsonArray ?? [])
                {
                    var expression = (string)counter!["expression"]!;
                    Assert.Matches("^request\\.headers\\['[a-z0-9][a-z0-9_.-]*'\\]\\z", expression);
                }
            }
        }
    }

    private static bool IsOnGateway(RenderedObject o) =>
        o.Manifest["spec"]!["targetRefs"]!.AsArray().Any(t => (string?)t!["kind"] == "Gateway");

    /// <summary>The keys the policy of limits across models charges (null without one), after checking what it says to the routes.</summary>
    private static HashSet<string>? AcrossModels(IReadOnlyList<RenderedObject> objects, Dictionary<string, JsonObject> routes)
    {
        var policy = objects.SingleOrDefault(o => o.Kind == ResourceKind.BackendTrafficPolicy && IsOnGateway(o));
        if (policy is null)
        {
            return null;
        }

        var target = Assert.Single(policy.Manifest["spec"]!["targetRefs"]!.AsArray())!;
        var gateway = routes.Values.Select(r => r["parentRefs"]![0]!).Distinct().First();
        Assert.Equal((string?)gateway["name"], (string?)target["name"]);
        Assert.Equal((string?)gateway["sectionName"], (string?)target["sectionName"]);
        Assert.Equal(ObjectNames.AcrossModelsPolicy((string)target["name"]!), policy.Name);
        var pattern = ModelIdPattern.Of(routes.Values.Select(r => (string)r["rules"]![0]!["matches"]![0]!["headers"]![0]!["value"]!));
        var charged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in policy.Manifest["spec"]!["rateLimit"]!["global"]!["rules"]!.AsArray())
        {
            Assert.True((bool)rule!["shared"]!);
            var modelHeader = Assert.Single(rule["clientSelectors"]!.AsArray().SelectMany(x => x!["headers"]!.AsArray()), h => (string?)h!["name"] == WellKnown.ModelHeader)!;
            Assert.Equal("RegularExpression", (string?)modelHeader["type"]);
            Assert.Equal(pattern, (string?)modelHeader["value"]);
            if (rule["cost"]?["response"]?["metadata"]?["key"] is { } key)
            {
                charged.Add((string)key!);
                foreach (var (name, route) in routes)
                {
                    var recorded = (route["llmRequestCosts"] as JsonArray ?? []).Select(c => (string)c!["metadataKey"]!);
                    Assert.True(recorded.Contains((string)key!), $"{policy.Name} charges {key} across models, which route {name} does not record");
                }
            }
        }

        return charged;
    }

    /// <summary>The pattern matches every model id it is made of, and only those, as Envoy matches it (in full).</summary>
    [Theory]
    [InlineData("gpt-4.1", "gpt-4o", "meta-llama/Llama-3.1-70B+(preview)", "a|b", "x*")]
    public void The_model_pattern_matches_exactly_its_ids(params string[] ids)
    {
        var pattern = new System.Text.RegularExpressions.Regex("^(?:" + ModelIdPattern.Of(ids) + ")\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        Assert.All(ids, id => Assert.Matches(pattern, id));
        Assert.All(["gpt-4x1", "gpt-4", "a", "b", "x", "xx", "meta-llama/Llama-3.1-70B(preview)", "gpt-4ogpt-4o"], other => Assert.DoesNotMatch(pattern, other));
    }

    [Fact]
    public void The_cases_hold_rules_of_every_kind_the_check_looks_at()
    {
        var all = InputNames().SelectMany(Render).ToList();
        var rules = all.Where(o => o.Kind == ResourceKind.BackendTrafficPolicy)
            .SelectMany(o => o.Manifest["spec"]!["rateLimit"]?["global"]?["rules"] as JsonArray ?? []).ToList();
        Assert.Contains(rules, r => r!["cost"] is not null);
        Assert.Contains(rules, r => r!["cost"] is null);
        Assert.Contains(rules, r => r!["clientSelectors"]![0]!["headers"]!.AsArray().Any(h => (string?)h!["type"] == "Distinct"));
        Assert.Contains(all, o => o.Kind == ResourceKind.TokenRateLimitPolicy);
        Assert.Contains(all, o => o.Kind == ResourceKind.BackendTrafficPolicy && IsOnGateway(o));
        Assert.Contains(rules, r => ((string?)r!["cost"]?["response"]?["metadata"]?["key"])?.StartsWith("llm_cost_", StringComparison.Ordinal) == true);
        Assert.Contains(all, o => o.Kind == ResourceKind.RateLimitPolicy && o.Manifest.ToJsonString().Contains("counters", StringComparison.Ordinal));
    }

    private static IReadOnlyList<RenderedObject> Render(string input)
    {
        var (directory, name) = (input[..input.IndexOf('|', StringComparison.Ordinal)], input[(input.IndexOf('|', StringComparison.Ordinal) + 1)..]);
        var c = ValuesCase.BundledExamples().Concat(ValuesCase.ValidCases()).Single(v => v.Directory == directory && v.Name == name);
        var evaluation = ValuesEvaluator.Evaluate(c.Document, c.Policy);
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Errors));
        return Renderer.Render(evaluation.Model!).Objects;
    }
}
