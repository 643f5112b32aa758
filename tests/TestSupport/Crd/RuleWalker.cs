using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>
/// Runs every <c>x-kubernetes-validations</c> rule whose node is present in an object (after defaulting), with
/// <c>self</c> bound to that node: a hand-written check when <see cref="HandWrittenRules"/> has one for the exact
/// rule text, else the Cel package. Transition rules (<c>oldSelf</c>) are skipped and counted. A rule the package
/// fails on is unevaluated, unless the schema errors found before are inside its node: then the failure comes from
/// the invalid value and is reported as an error, as the apiserver reports an evaluation error.
/// </summary>
internal sealed class RuleWalker(CelRuleEvaluator cel, IReadOnlyList<string> schemaErrors)
{
    public List<string> Errors { get; } = [];
    public List<string> Unevaluated { get; } = [];
    public int EvaluatedByCel { get; private set; }
    public int EvaluatedByHand { get; private set; }
    public int TransitionRulesSkipped { get; private set; }

    public void Walk(JsonNode? value, SchemaNode schema, string path, bool isRoot = false)
    {
        if (value is null || !CelValues.IsKind(value, schema))
        {
            return; // absent, or a type error the structural validator reports
        }

        if (schema.Rules.Count > 0)
        {
            RunRules(value, schema, path, isRoot);
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (isRoot && key is "metadata" or "apiVersion" or "kind")
                    {
                        continue;
                    }

                    if (schema.Properties.TryGetValue(key, out var property))
                    {
                        Walk(child, property, JsonPaths.Join(path, key));
                    }
                    else if (schema.AdditionalProperties is { } values)
                    {
                        Walk(child, values, $"{path}[{key}]");
                    }
                }

                break;
            case JsonArray array when schema.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], schema.Items, $"{path}[{i}]");
                }

                break;
        }
    }

    private void RunRules(JsonNode value, SchemaNode schema, string path, bool isRoot)
    {
        object? self = null;
        var where = JsonPaths.Root(path);
        foreach (var rule in schema.Rules)
        {
            if (rule.IsTransitionRule)
            {
                TransitionRulesSkipped++;
                continue;
            }

            bool holds;
            if (HandWrittenRules.ByRuleText.TryGetValue(rule.Rule, out var check))
            {
                holds = check(value);
                EvaluatedByHand++;
            }
            else
            {
                self ??= CelValues.From(value, schema, isRoot);
                var outcome = cel.Evaluate(rule.Rule, self);
                if (outcome.Holds is not { } result)
                {
                    if (HasSchemaErrorsWithin(path))
                    {
                        Errors.Add($"{ErrorPath(path, rule.FieldPath)}: rule could not be evaluated on the invalid value ({outcome.Problem}) (rule: {rule.Rule})");
                    }
                    else
                    {
                        Unevaluated.Add($"{where}: rule `{rule.Rule}` was not evaluated: {outcome.Problem}");
                    }

                    continue;
                }

                holds = result;
                EvaluatedByCel++;
            }

            if (!holds)
            {
                Errors.Add($"{ErrorPath(path, rule.FieldPath)}: {Message(rule, value, schema, isRoot)} (rule: {rule.Rule})");
            }
        }
    }

    private bool HasSchemaErrorsWithin(string path) =>
        schemaErrors.Any(e => path.Length == 0
            || (e.StartsWith(path, StringComparison.Ordinal) && e.Length > path.Length && e[path.Length] is '.' or '[' or ':'));

    private string Message(CelRule rule, JsonNode value, SchemaNode schema, bool isRoot)
    {
        if (rule.MessageExpression is { } expression
            && cel.EvaluateMessage(expression, CelValues.From(value, schema, isRoot)) is { Length: > 0 } text)
        {
            return text;
        }

        return rule.Message ?? "failed rule";
    }

    private static string ErrorPath(string path, string? fieldPath)
    {
        if (string.IsNullOrEmpty(fieldPath))
        {
            return JsonPaths.Root(path);
        }

        var relative = fieldPath.StartsWith('.') ? fieldPath[1..] : fieldPath;
        return relative.StartsWith('[') ? path + relative : JsonPaths.Join(path, relative);
    }
}
