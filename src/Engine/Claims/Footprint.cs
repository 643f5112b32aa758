using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Rendering;

namespace AiGatewayModels.Engine.Claims;

/// <summary>
/// What a values ConfigMap claims: the objects it generates in its namespace (<c>"Kind name"</c>), and the model ids it
/// routes on a Gateway, each with the object that routes it (its AIGatewayRoute).
/// </summary>
public sealed record Footprint(string Namespace, IReadOnlyList<string> Objects, string Gateway, string? Section, IReadOnlyDictionary<string, string> ModelMatches)
{
    /// <summary><see cref="Objects"/> for lookups.</summary>
    public IReadOnlySet<string> ObjectSet { get; } = Objects.ToHashSet(StringComparer.Ordinal);

    /// <summary>Entries under <c>models</c>, disabled ones included: what the policy's model ceilings count.</summary>
    public int Models { get; init; }

    public static Footprint Of(ValidatedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rendered = Renderer.Render(model);
        // a list in rendering order (so that messages name the same object first every time), distinct
        var objects = rendered.Objects.Select(o => ObjectKey(o.Kind, o.Name))
            .Concat(rendered.SecretProjections.Select(p => ObjectKey(ResourceKind.Secret, p.ProjectedName!)))
            .Distinct(StringComparer.Ordinal).ToList();
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in model.Models)
        {
            matches.TryAdd(m.ModelMatch, ObjectKey(ResourceKind.AIGatewayRoute, m.Key));
        }

        return new Footprint(
            model.Namespace,
            objects,
            $"{model.Gateway.Namespace ?? model.Namespace}/{model.Gateway.Name}",
            model.Gateway.SectionName,
            matches)
        {
            Models = model.DeclaredModels,
        };
    }

    /// <summary>How claims name an object: <c>"Kind name"</c>.</summary>
    public static string ObjectKey(ResourceKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Kind + " " + name;
    }

    /// <summary>True when both route on the same Gateway listener (no sectionName means every listener).</summary>
    public bool SharesListener(Footprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Gateway == other.Gateway && (Section is null || other.Section is null || Section == other.Section);
    }
}
