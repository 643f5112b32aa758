using AiGatewayModels.Engine.Policy;

namespace AiGatewayModels.Engine.Rules;

/// <summary>What rules may know besides the values: the policy in force and where the values live.</summary>
public sealed record RuleContext(ModelsPolicy Policy, string Namespace, string SourceName);
