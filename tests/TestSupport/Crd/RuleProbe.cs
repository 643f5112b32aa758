namespace AiGatewayModels.TestSupport;

/// <summary>
/// Tries every CEL rule of a CRD version on synthetic values of its node (<see cref="SyntheticInstances"/>), to find
/// the rules that neither the Cel package nor a hand-written check can evaluate, before a real object meets them.
/// </summary>
internal static class RuleProbe
{
    /// <summary>Every rule site of a schema: the path of its node (items as [*], map values as [*]), the node and its rules.</summary>
    public static IEnumerable<(string Path, SchemaNode Node)> Sites(SchemaNode schema, string path = "")
    {
        if (schema.Rules.Count > 0)
        {
            yield return (JsonPaths.Root(path), schema);
        }

        foreach (var (name, property) in schema.Properties)
        {
            if (path.Length == 0 && name == "metadata")
            {
                continue;
            }

            foreach (var site in Sites(property, JsonPaths.Join(path, name)))
            {
                yield return site;
            }
        }

        var nested = schema.Items is not null ? (schema.Items, path + "[*]")
            : schema.AdditionalProperties is not null ? (schema.AdditionalProperties, path + "[*]")
            : default;
        if (nested.Item1 is not null)
        {
            foreach (var site in Sites(nested.Item1, nested.Item2))
            {
                yield return site;
            }
        }
    }

    /// <summary>The rules that could not be evaluated on the full or the minimal value of their node, one line each.</summary>
    public static IReadOnlyList<string> Unevaluable(SchemaNode schema, CelRuleEvaluator cel)
    {
        var problems = new List<string>();
        foreach (var (path, node) in Sites(schema))
        {
            foreach (var (variant, value) in SyntheticInstances.Variants(node))
            {
                var self = CelValues.From(value, node);
                foreach (var rule in node.Rules.Where(r => !r.IsTransitionRule && !HandWrittenRules.ByRuleText.ContainsKey(r.Rule)))
                {
                    if (cel.Evaluate(rule.Rule, self) is { Holds: null } outcome)
                    {
                        problems.Add($"{path}: `{rule.Rule}` on the {variant}: {outcome.Problem}");
                    }
                }
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }
}
