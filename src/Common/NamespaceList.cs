using AiGatewayModels.Engine.Rules;

namespace AiGatewayModels.Common;

/// <summary>
/// <c>--namespaces a,b</c> of both programs (the namespaced install): each program then list-watches the named namespaces
/// one by one instead of the whole cluster, so that its RBAC needs Roles in those namespaces only.
/// </summary>
public static class NamespaceList
{
    /// <summary>Distinct namespace names; null (every namespace) for no text; an error naming the bad entry and the fix.</summary>
    public static IReadOnlyList<string>? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries).ToList();
        foreach (var name in names)
        {
            if (!KubernetesNames.IsDnsLabel(name))
            {
                throw new ArgumentException($"--namespaces {text}: \"{name}\" is not a namespace name (a DNS label: lowercase letters, digits and '-', at most 63 characters); separate names with commas, e.g. team-a,team-b");
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }
}
