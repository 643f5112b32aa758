using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Policy;
using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

/// <summary>
/// Which named Secrets the expander may use, and that the report is one message whatever the reason (the status and the
/// Events are read by people who may not read the Secret).
/// </summary>
public sealed class SecretUseRulesTests
{
    private static readonly SecretReference Reference = new("openai", "backends.openai.apiKeySecretRef", SecretPurpose.ApiKey, "team-key", "apiKey");

    public static TheoryData<string, SecretFacts, bool, bool> Cases => new()
    {
        { "labelled, key present", new SecretFacts(true, "Opaque", "true", true), true, true },
        { "no type given", new SecretFacts(true, null, "true", true), true, true },
        { "absent", SecretFacts.Absent, true, false },
        { "no such key", new SecretFacts(true, "Opaque", "true", false), true, false },
        { "not labelled", new SecretFacts(true, "Opaque", null, true), true, false },
        { "labelled other than true", new SecretFacts(true, "Opaque", "yes", true), true, false },
        { "service-account token, labelled", new SecretFacts(true, SecretUseRules.ServiceAccountTokenType, "true", true), true, false },
        { "not labelled, label not required", new SecretFacts(true, "Opaque", null, true), false, true },
        { "service-account token, label not required", new SecretFacts(true, SecretUseRules.ServiceAccountTokenType, null, true), false, false },
        { "absent, label not required", SecretFacts.Absent, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_Secret_is_used_only_when_it_exists_holds_the_key_is_labelled_and_is_no_service_account_token(string name, SecretFacts facts, bool requireLabel, bool usable)
    {
        var policy = ModelsPolicy.Default with { RequireSecretLabel = requireLabel };
        var problem = SecretUseRules.Problem(Reference, facts, policy);
        Assert.True(usable == (problem is null), name);
        if (problem is not null)
        {
            // the same words for every reason: nothing tells a reader of the status whether the Secret or its key exists
            Assert.Equal(SecretUseRules.Unusable(Reference, policy), problem);
            Assert.StartsWith("Secret team-key (backends.openai.apiKeySecretRef) cannot be used: it does not exist, has no data key apiKey", problem, StringComparison.Ordinal);
            Assert.Equal(requireLabel, problem.Contains(WellKnown.CredentialLabel + "=true", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_label_is_required_by_default()
    {
        Assert.True(ModelsPolicy.Default.RequireSecretLabel);
        Assert.True(PolicyReader.Read("credentials: {requireSecretLabel: false}\n").Policy is { RequireSecretLabel: false });
        Assert.True(PolicyReader.Read("minBackendsPerModel: 2\n").Policy is { RequireSecretLabel: true });
    }
}
