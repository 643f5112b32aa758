namespace AiGatewayModels.TestSupport;

/// <summary>What validating one object found.</summary>
/// <param name="Errors">Human-readable errors, each starting with the JSON path; empty when the object is valid.</param>
/// <param name="UnevaluatedRules">CEL rules that applied to the object but that neither the Cel package nor a hand-written check could evaluate.</param>
/// <param name="RulesEvaluatedByCel">How many rule evaluations the Cel package did.</param>
/// <param name="RulesEvaluatedByHand">How many rule evaluations used a hand-written check.</param>
/// <param name="TransitionRulesSkipped">How many rules were skipped because they compare with the previous object (<c>oldSelf</c>).</param>
public sealed record CrdValidationResult(
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> UnevaluatedRules,
    int RulesEvaluatedByCel,
    int RulesEvaluatedByHand,
    int TransitionRulesSkipped)
{
    public bool IsValid => Errors.Count == 0;
}
