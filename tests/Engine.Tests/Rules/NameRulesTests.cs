using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class NameRulesTests
{
    [Fact]
    public void Valid_values_have_no_findings() => Specs.NoDiagnostics(Specs.Run(NameRules.Check, Specs.Valid));

    [Fact]
    public void A_ConfigMap_name_longer_than_a_label_value_is_an_error_on_metadata_name()
    {
        var name = new string('m', 64);
        Specs.SingleError(Specs.Run(NameRules.Check, Specs.Valid, name: name), "metadata.name", "at most 63 characters");
        Specs.NoDiagnostics(Specs.Run(NameRules.Check, Specs.Valid, name: new string('m', 63)));
    }

    [Theory]
    [InlineData("GPT_4o", "models.GPT_4o", "model name \"GPT_4o\"", ", e.g. gpt-4o")]
    [InlineData("gpt.4o", "models[\"gpt.4o\"]", "model name \"gpt.4o\"", ", e.g. gpt-4o")]
    [InlineData("-gpt", "models.-gpt", "model name \"-gpt\"", "")]
    public void Model_keys_must_be_DNS_labels(string key, string path, string fragment, string hint)
    {
        var yaml = Specs.Gateway + Specs.Backends + Specs.Models.Edit("gpt-4o:", key + ":");
        var error = Specs.SingleError(Specs.Run(NameRules.Check, yaml), path, fragment);
        if (hint.Length > 0)
        {
            Assert.EndsWith(hint, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("e.g.", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Backend_and_slot_keys_must_be_DNS_labels()
    {
        var yaml = Specs.Gateway + Specs.Backends.Edit("openai:", "OpenAI:")
            + Specs.Models.Edit("primary:", "Primary_Slot:").Edit("ref: openai", "ref: OpenAI");
        var errors = Specs.Run(NameRules.Check, yaml);
        Assert.Equal(["backends.OpenAI", "models.gpt-4o.backends.Primary_Slot"], errors.Select(d => d.Path));
        Assert.Contains("backend name \"OpenAI\"", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("backend slot name \"Primary_Slot\"", errors[1].Message, StringComparison.Ordinal);
        Assert.EndsWith("e.g. primary-slot", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_exactly_63_characters_is_a_label_and_64_is_not()
    {
        var ok = new string('m', 63);
        var tooLong = new string('m', 64);
        Specs.NoDiagnostics(Specs.Run(NameRules.Check, Specs.Gateway + Specs.Backends + Specs.Models.Edit("gpt-4o:", ok + ":")));
        Specs.SingleError(Specs.Run(NameRules.Check, Specs.Gateway + Specs.Backends + Specs.Models.Edit("gpt-4o:", tooLong + ":")), "models." + tooLong, "must be a DNS label");
    }

    [Fact]
    public void Two_backends_with_one_resourceName_collide_on_the_second()
    {
        var yaml = Specs.Valid.Edit("resourceName: anthropic", "resourceName: openai");
        Specs.SingleError(Specs.Run(NameRules.Check, yaml), "backends.anthropic.resourceName", "openai is already the resourceName of backends.openai");
    }

    [Fact]
    public void A_projected_Secret_may_not_be_a_source_Secret()
    {
        // anthropic reads key ANTHROPIC_KEY, so the expander writes anthropic-apikey; openai reads that very Secret.
        var yaml = Specs.Valid
            .Edit("{name: anthropic-credentials, key: apiKey}", "{name: llm-keys, key: ANTHROPIC_KEY}")
            .Edit("{name: openai-credentials, key: apiKey}", "{name: anthropic-apikey, key: apiKey}");
        Specs.SingleError(Specs.Run(NameRules.Check, yaml), "backends.openai.apiKeySecretRef.name", "Secret anthropic-apikey is the one the expander writes for backends.anthropic");
    }

    [Fact]
    public void A_projection_from_a_differently_named_Secret_is_fine() =>
        Specs.NoDiagnostics(Specs.Run(NameRules.Check, Specs.Valid.Edit("key: apiKey}}\n  anthropic", "key: OPENAI_API_KEY}}\n  anthropic")));

    [Theory]
    [InlineData("apiKey", null)]
    [InlineData(null, null)]
    [InlineData("OPENAI_API_KEY", "b-apikey")]
    [InlineData("apikey", "b-apikey")]
    public void Only_a_key_other_than_apiKey_needs_a_projection(string? key, string? projected)
    {
        var secret = new SecretRefSpec("backends.b.apiKeySecretRef", "s", key);
        var backend = new BackendSpec("b", "backends.b", "b", "OpenAI", null, "api.openai.com", 443, secret, null);
        Assert.Equal(projected, NameRules.ProjectedName(backend, secret, SecretPurpose.ApiKey));
    }

    [Fact]
    public void No_projected_name_can_be_another_backends_projected_name()
    {
        // k1 + s1 == k2 + s2 with s1 != s2 needs one suffix to end the other; backend keys are unique, so with none, no two collide
        foreach (var a in SecretPurpose.All)
        {
            foreach (var b in SecretPurpose.All.Where(b => b != a))
            {
                Assert.False(a.ProjectedSuffix.EndsWith(b.ProjectedSuffix, StringComparison.Ordinal), $"{a.ProjectedSuffix} ends with {b.ProjectedSuffix}");
            }
        }

        Assert.Equal(SecretPurpose.All.Count, SecretPurpose.All.Select(p => p.ProjectedSuffix).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Hand_built_specs_are_judged_the_same_way()
    {
        BackendSpec Backend(string key, string resourceName) =>
            new(key, "backends." + key, resourceName, "OpenAI", null, "api.openai.com", 443, new SecretRefSpec($"backends.{key}.apiKeySecretRef", "s", "apiKey"), null);
        var spec = new ValuesSpec(new GatewayRefSpec("gatewayRef", "gw", null, null), new RateLimitPolicySpec("rateLimitPolicy", true, [], [], null),
            [Backend("a", "same"), Backend("b", "same"), Backend("c", "same")], []);
        var errors = NameRules.Check(spec, Specs.Context()).ToList();
        Assert.Equal(["backends.b.resourceName", "backends.c.resourceName"], errors.Select(d => d.Path));
        Assert.All(errors, e => Assert.Contains("resourceName of backends.a", e.Message, StringComparison.Ordinal));
    }
}
