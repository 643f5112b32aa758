using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Kube;

namespace AiGatewayModels.Expander.Controller;

/// <summary>What the cluster serves, as <c>group/version/Kind</c> entries for <see cref="ApiVersionSelection.From"/>.</summary>
internal interface IDiscovery
{
    Task<IReadOnlyList<string>> ServedAsync(CancellationToken ct);
}

/// <summary>
/// Asks the apiserver which versions of our groups it serves and which of our kinds each version has (a group can be
/// installed with one of its CRDs missing). Cached for <see cref="CacheFor"/>: every reconcile asks, the apiserver rarely.
/// </summary>
internal sealed class ApiDiscovery(KubeClient client) : IDiscovery, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly HashSet<string> Groups = ResourceKind.All.Where(k => k.Group.Length > 0).Select(k => k.Group).ToHashSet(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyList<string>? cached;
    private DateTime cachedAt;

    public async Task<IReadOnlyList<string>> ServedAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (cached is not null && DateTime.UtcNow - cachedAt < CacheFor)
            {
                return cached;
            }

            var served = await client.ServedKindsAsync(Groups, ct);
            cached = served;
            cachedAt = DateTime.UtcNow;
            return served;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}

/// <summary>A fixed answer: for tests (a kind "missing" without deleting a CRD from a shared control plane).</summary>
internal sealed class FixedDiscovery(IReadOnlyList<string> served) : IDiscovery
{
    public Task<IReadOnlyList<string>> ServedAsync(CancellationToken ct) => Task.FromResult(served);
}
