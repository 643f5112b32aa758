using System.Text.Json.Nodes;
using Xunit;
using static AiGatewayModels.Engine.Tests.Crd.WidgetCrd;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>Schema keywords and rule features checked on a test-owned CRD (<see cref="WidgetCrd"/>).</summary>
public sealed class SchemaKeywordTests
{
    public static TheoryData<string, string, string> Invalid() => new()
    {
        { "size", "0", "spec.size: must be > 0" },
        { "size", "10", "spec.size: must be < 10" },
        { "limit", "7", "spec.limit: must be a multiple of 5" },
        { "big", "100000000000000000000", "spec.big: must fit in a 64-bit signed integer (format int64)" },
        { "ratio", "0.25", "spec.ratio: must be >= 0.5" },
        { "counts", "{}", "spec.counts: must have at least 1 properties (has 0)" },
        { "counts", """{"a": 1, "b": 2, "c": 3}""", "spec.counts: must have at most 2 properties (has 3)" },
        { "counts", """{"a": "one"}""", "spec.counts[a]: must be of type integer, got string" },
        { "choice", """{"a": "x", "b": "y"}""", "spec.choice: must match exactly one schema in oneOf (matches 2)" },
        { "choice", "{}", "spec.choice: must match exactly one schema in oneOf (matches 0)" },
        { "either", "{}", "spec.either: must match at least one schema in anyOf" },
        { "both", "\"y\"", "spec.both: must be at least 2 characters long (is 1)" },
        { "both", "\"yy\"", "spec.both: \"yy\" must match pattern ^x" },
        { "notBad", "\"bad\"", "spec.notBad: must not match the schema in 'not'" },
        { "tags", """["a", "b", "a"]""", "spec.tags[2]: duplicate value \"a\" in a list of type set" },
        { "portOrName", "1.5", "spec.portOrName: must be of type integer or string, got number 1.5" },
        { "when", "\"2024-13-01T00:00:00Z\"", "spec.when: must be a valid date-time" },
        { "digest", "\"%%%\"", "spec.digest: must be a valid byte" },
        { "ports", """[{"name": "a"}, {"name": "a", "protocol": "TCP"}]""", "spec.ports[1]: duplicate entry for x-kubernetes-list-map-keys name=\"a\", protocol=\"TCP\"" },
        { "urls", """["https://example.com/a", "not a url"]""", "spec.urls: must be URLs (rule: self.all(u, isURL(u)))" },
        { "size", "7", "spec.size: size 7 exceeds limit 5 (rule: self.size <= self.limit)" },
        { "mode", "\"Broken\"", "spec: mode must be set (rule: has(self.mode) && self.mode != 'Broken')" },
        { "unknown", "1", "spec.unknown: unknown field \"unknown\"" },
    };

    public static TheoryData<string, string> Valid_values() => new()
    {
        { "limit", "10" },
        { "big", "9223372036854775807" },
        { "ratio", "0.5" },
        { "counts", """{"a": 1}""" },
        { "choice", """{"b": "y"}""" },
        { "either", """{"a": "x", "b": "y"}""" },
        { "both", "\"xy\"" },
        { "notBad", "\"good\"" },
        { "portOrName", "8080" },
        { "portOrName", "\"http\"" },
        { "when", "\"2024-01-01T10:00:00.5+02:00\"" },
        { "digest", "\"aGVsbG8=\"" },
        { "ports", """[{"name": "a"}, {"name": "a", "protocol": "UDP"}]""" },
        { "urls", """["https://example.com/a", "/relative/path"]""" },
        { "note", "null" },
        { "mode", "null" },
        { "free", """{"anything": {"nested": [1, "two"]}}""" },
        { "open", """{"x": {"y": true}}""" },
    };

    [Fact]
    public void The_valid_widget_is_valid()
    {
        var result = Catalog.Check(Valid());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Catches(string field, string json, string expected)
    {
        var errors = Catalog.Validate(WithSpec(field, JsonNode.Parse(json)));
        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"expected \"{expected}\"; got:\n{string.Join("\n", errors)}");
    }

    [Theory]
    [MemberData(nameof(Valid_values))]
    public void Accepts(string field, string json)
    {
        var errors = Catalog.Validate(WithSpec(field, JsonNode.Parse(json)));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void A_rule_the_Cel_package_cannot_evaluate_is_reported_as_unevaluated_not_passed()
    {
        var result = Catalog.Check(Valid());
        var unevaluated = Assert.Single(result.UnevaluatedRules);
        Assert.StartsWith("spec: rule `quantity(self.memory).isGreaterThan(quantity('1Gi'))` was not evaluated:", unevaluated, StringComparison.Ordinal);
        Assert.Equal(result.UnevaluatedRules, Catalog.UnevaluatedRules(Valid()));
    }

    [Fact]
    public void Transition_rules_are_skipped_and_counted()
    {
        var result = Catalog.Check(Valid());
        Assert.Equal(1, result.TransitionRulesSkipped);
        Assert.Equal(2, result.RulesEvaluatedByCel);
    }

    [Fact]
    public void Rules_see_the_defaults()
    {
        // limit defaults to 5 and mode to Fast: the rules on spec evaluate against them.
        var widget = WithSpec("limit", null);
        Assert.Empty(Catalog.Validate(widget));
        Assert.Contains("spec.size: size 6 exceeds limit 5 (rule: self.size <= self.limit)", Catalog.Validate(WithSpec("size", 6)));
    }

    [Fact]
    public void Type_errors_stop_the_rules_as_in_the_apiserver()
    {
        var errors = Catalog.Validate(WithSpec("size", "3"));
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("spec.size: must be of type integer, got string", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("<root>: some validation rules were not checked", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_metadata_name_constraints_of_the_schema_apply()
    {
        var widget = Valid();
        widget["metadata"]!["name"] = "a-very-long-name";
        Assert.Contains("metadata.name: may not be longer than 10 characters (is 16)", Catalog.Validate(widget));
    }

    [Fact]
    public void An_unserved_version_is_an_error()
    {
        var widget = Valid();
        widget["apiVersion"] = "test.example.com/v2";
        Assert.StartsWith("apiVersion: test.example.com/v2 is not served for kind Widget", Assert.Single(Catalog.Validate(widget)), StringComparison.Ordinal);
    }
}
