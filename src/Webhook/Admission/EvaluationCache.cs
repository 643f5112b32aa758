using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Claims;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Model;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.Webhook.Observability;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// An LRU cache of the engine's evaluation of values, keyed by SHA-256 of (namespace, name, values text, policy
/// generation): <see cref="ValuesEvaluator.Evaluate"/> is a pure function of those (the uid and every other field of
/// the ConfigMap play no part). It pays because the apiserver sends unchanged values again and again: the mutating and
/// the validating webhook each get every request, <c>kubectl apply</c> re-sends, metadata-only updates and the
/// expander's status-annotation writes carry the same data. Only the engine's judgement is cached; the cross-object
/// checks still run on every request against the current view of the cluster.
/// The cache is bounded by bytes, not only by entries: anyone allowed to dry-run a ConfigMap chooses the values, and
/// distinct large values must not add up (each large invalid ConfigMap once kept ~20 MiB of findings). Entries hold
/// only what an answer needs (<see cref="CachedEvaluation"/>), each is charged an estimate of what it retains, the least
/// recently used go first when the total passes <see cref="maxBytes"/>, and an entry larger than an eighth of the
/// budget is answered but never kept.
/// Misses are evaluated by at most one request per core at a time (the others wait asynchronously, holding no thread):
/// an evaluation of large values allocates megabytes, and 100 concurrent ones would otherwise make the thread pool add
/// threads and keep all their working sets alive at once. A request that waited finds the values in the cache when an
/// identical request evaluated them meanwhile.
/// </summary>
internal sealed class EvaluationCache(WebhookMetrics metrics, long maxBytes = EvaluationCache.DefaultMaxBytes, int capacity = EvaluationCache.DefaultCapacity)
    : IDisposable
{
    public const int DefaultCapacity = 256;

    /// <summary>The default budget (<c>--evaluation-cache-bytes</c>): a tenth of the 150 MiB the webhook is held to.</summary>
    public const long DefaultMaxBytes = 32L * 1024 * 1024;

    /// <summary>An entry that would take more than this share of the budget is not kept: one must not evict all others.</summary>
    public const int LargestEntryShare = 8;

    private readonly Lock gate = new();
    private readonly SemaphoreSlim evaluations = new(Environment.ProcessorCount);
    private readonly Dictionary<Key, LinkedListNode<(Key Key, CachedEvaluation Value)>> map = new();
    private readonly LinkedList<(Key Key, CachedEvaluation Value)> order = new(); // most recently used first
    private long bytes;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return map.Count;
            }
        }
    }

    /// <summary>The estimated bytes the cached entries retain; never more than the budget.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>
    /// The cached evaluation of the document under the policy of that generation, evaluating it on a miss. With
    /// <paramref name="withValuesHash"/> (the mutating webhook, which writes the hash) a miss also hashes the values while
    /// their tree is at hand; validation never needs the hash and does not pay for it.
    /// </summary>
    public async ValueTask<CachedEvaluation> GetOrEvaluateAsync(
        ValuesDocument document, long policyGeneration, Func<ValuesDocument, Evaluation> evaluate, bool withValuesHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(evaluate);
        var key = KeyOf(document, policyGeneration);
        if (Lookup(key) is { } hit)
        {
            metrics.EvaluationCacheHit();
            return hit;
        }

        await evaluations.WaitAsync(cancellationToken);
        try
        {
            if (Lookup(key) is { } meanwhile)
            {
                metrics.EvaluationCacheHit();
                return meanwhile;
            }

            metrics.EvaluationCacheMiss();
            var value = new CachedEvaluation(evaluate(document), withValuesHash, document.ValuesYaml.Length);
            if (value.EstimatedBytes > maxBytes / LargestEntryShare)
            {
                metrics.EvaluationCacheSkip();
                return value;
            }

            lock (gate)
            {
                if (map.TryGetValue(key, out var existing))
                {
                    return existing.Value.Value;
                }

                map[key] = order.AddFirst((key, value));
                bytes += value.EstimatedBytes;
                while (map.Count > capacity || bytes > maxBytes)
                {
                    var last = order.Last!;
                    order.RemoveLast();
                    map.Remove(last.Value.Key);
                    bytes -= last.Value.Value.EstimatedBytes;
                }
            }

            return value;
        }
        finally
        {
            evaluations.Release();
        }
    }

    public void Dispose() => evaluations.Dispose();

    private CachedEvaluation? Lookup(Key key)
    {
        lock (gate)
        {
            if (!map.TryGetValue(key, out var node))
            {
                return null;
            }

            order.Remove(node);
            order.AddFirst(node);
            return node.Value.Value;
        }
    }

    private static Key KeyOf(ValuesDocument document, long policyGeneration)
    {
        // length-prefixed fields: no two different tuples give the same bytes. Hashed in pieces through a small buffer:
        // the values of a large ConfigMap would otherwise need a 4 MiB array, which the shared pool then keeps.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, policyGeneration);
        sha.AppendData(prefix);
        var chunk = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(KeyChunkChars));
        try
        {
            foreach (var field in (ReadOnlySpan<string>)[document.Namespace, document.Name, document.ValuesYaml])
            {
                BinaryPrimitives.WriteInt32LittleEndian(prefix, Encoding.UTF8.GetByteCount(field));
                sha.AppendData(prefix[..4]);
                var encoder = Encoding.UTF8.GetEncoder();
                for (var at = 0; at < field.Length; at += KeyChunkChars)
                {
                    var piece = field.AsSpan(at, Math.Min(KeyChunkChars, field.Length - at));
                    // the encoder carries a surrogate pair split between two pieces over to the next
                    var written = encoder.GetBytes(piece, chunk, flush: at + piece.Length == field.Length);
                    sha.AppendData(chunk.AsSpan(0, written));
                }
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            sha.GetHashAndReset(hash);
            return new Key(
                BinaryPrimitives.ReadUInt64LittleEndian(hash),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private const int KeyChunkChars = 4096;

    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D);
}

/// <summary>
/// What the webhook keeps of an evaluation, shared by every request with the same values: at most
/// <see cref="MaxKeptErrors"/> errors and <see cref="MaxKeptWarnings"/> warnings with the count of the rest (the denial
/// lists no more), the model of valid values only, the values hash and the footprint (both derived on first use). Not
/// the engine's <see cref="Evaluation"/> itself: that holds the parsed YAML tree (for its lazy hash), several times
/// larger than all of this for big values.
/// </summary>
internal sealed class CachedEvaluation
{
    /// <summary>The denial lists this many errors and counts the rest (kubectl prints the whole message).</summary>
    public const int MaxKeptErrors = 50;

    /// <summary>Warnings past this many are counted in one last warning (kubectl prints every one).</summary>
    public const int MaxKeptWarnings = 50;

    /// <summary>
    /// The errors and the warnings the engine keeps while it judges for the webhook (the rest it counts): twice what is
    /// listed, since the engine drops a few of the kept ones later (a credential finding replaces the binder's on its path).
    /// </summary>
    public const int JudgedFindings = 2 * MaxKeptErrors;

    /// <summary>What a .NET object and its references cost besides its strings' characters; a deliberate overestimate.</summary>
    private const int ObjectOverhead = 96;

    private readonly bool isYaml;
    private string? valuesHash;
    private Footprint? footprint;

    public CachedEvaluation(Evaluation evaluation, bool withValuesHash, int valuesChars)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        isYaml = evaluation.IsYaml;
        valuesHash = withValuesHash ? evaluation.ValuesHash : null;
        var errors = evaluation.Errors.ToList();
        var warnings = evaluation.Warnings.ToList();
        OmittedErrors = Math.Max(0, errors.Count - MaxKeptErrors) + evaluation.OmittedErrors;
        var omittedWarnings = Math.Max(0, warnings.Count - MaxKeptWarnings) + evaluation.OmittedWarnings;
        var kept = errors.Take(MaxKeptErrors).Concat(warnings.Take(MaxKeptWarnings)).ToList();
        if (omittedWarnings > 0)
        {
            kept.Add(Diagnostic.Warning(string.Empty, $"… and {omittedWarnings} more warnings; run the CLI's validate to see them all"));
        }

        Diagnostics = kept;
        Model = errors.Count == 0 ? evaluation.Model : null;
        EstimatedBytes = Estimate(kept, Model is null ? 0 : valuesChars);
    }

    /// <summary>The errors first (at most <see cref="MaxKeptErrors"/>), then the warnings.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>How many errors the evaluation found beyond those kept.</summary>
    public int OmittedErrors { get; }

    public ValidatedModel? Model { get; }

    /// <summary>
    /// What this entry retains, estimated: the findings' text in UTF-16 plus a per-object overhead, and for valid values
    /// four bytes per character of their text for the model, its footprint and hash (every string of the model is a
    /// piece of that text, held in UTF-16, with its objects and collections around it).
    /// </summary>
    public long EstimatedBytes { get; }

    /// <summary>What the values claim in the cluster; null when they are invalid. Computed on first use (a benign race).</summary>
    public Footprint? Footprint => Model is { } model ? footprint ??= Footprint.Of(model) : null;

    /// <summary>
    /// The values hash of <paramref name="document"/>, the document these findings are of (its text is part of the cache
    /// key); null when the values are not YAML. Kept from the evaluation when the mutating webhook asked first, as the
    /// apiserver does for every write; otherwise (validation was first, say on another replica) read once more here.
    /// </summary>
    public string? ValuesHashOf(ValuesDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!isYaml)
        {
            return null;
        }

        return valuesHash ??= BoundedYamlReader.Read(document.ValuesYaml, "the values document").Root is { } root ? ValuesHash.Compute(root) : null;
    }

    private static long Estimate(List<Diagnostic> kept, long modelSourceChars)
    {
        long total = 2 * ObjectOverhead + 4L * modelSourceChars;
        foreach (var d in kept)
        {
            total += ObjectOverhead + 2L * (d.Path.Length + d.Message.Length + (d.Origin?.Length ?? 0));
        }

        return total;
    }
}
