using System.Globalization;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Engine.Values;

namespace AiGatewayModels.Engine.Rules;

/// <summary>
/// The policy's ceilings on one values ConfigMap (<c>ceilings.modelsPerConfigMap</c>, <c>ceilings.objectsPerConfigMap</c>):
/// the models are counted before any other rule runs (past the ceiling no rule is worth its time), the objects once the
/// values are valid (which objects exist depends on them). The ceilings per namespace need the other ConfigMaps: the
/// webhook and the expander apply them (<see cref="Claims.NamespaceCeilings"/>).
/// </summary>
public static class SizeRules
{
    public static Diagnostic? Models(ValuesSpec values, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(context);
        var ceiling = context.Policy.Ceilings.ModelsPerConfigMap;
        return values.Models.Count <= ceiling
            ? null
            : Diagnostic.Error("models", Text($"{values.Models.Count:N0} models (enabled or not), above the ceiling of {ceiling:N0} models per values ConfigMap (policy ceilings.modelsPerConfigMap); split them over several values ConfigMaps, or ask the cluster's platform team to raise the ceiling"));
    }

    public static Diagnostic? Objects(ValidatedModel model, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var ceiling = context.Policy.Ceilings.ObjectsPerConfigMap;
        var count = Renderer.ObjectCount(model);
        return count <= ceiling
            ? null
            : Diagnostic.Error(string.Empty, Text($"these values generate {count:N0} objects, above the ceiling of {ceiling:N0} objects per values ConfigMap (policy ceilings.objectsPerConfigMap); split the models and backends over several values ConfigMaps, or ask the cluster's platform team to raise the ceiling"));
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
