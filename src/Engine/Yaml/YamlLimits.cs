namespace AiGatewayModels.Engine.Yaml;

/// <summary>
/// Bounds on what the reader accepts, so that no input can hang or exhaust the process
/// (billion-laughs aliases, deep nesting, oversized documents).
/// </summary>
public sealed record YamlLimits
{
    /// <summary>The apiserver's limit for a whole ConfigMap; values cannot be larger than that in a cluster either.</summary>
    public const int ConfigMapMaxBytes = 1_048_576;

    public static YamlLimits Default { get; } = new();

    public int MaxBytes { get; init; } = ConfigMapMaxBytes;

    public int MaxDepth { get; init; } = 32;

    /// <summary>
    /// Nodes after alias and merge-key expansion; a 1 MiB document of small scalars has well under this many. The
    /// number of aliases is not bounded: what they expand to is (this, <see cref="MaxExpandedBytes"/> and
    /// <see cref="MaxDepth"/>, which an alias counts with the height of what it brings).
    /// </summary>
    public long MaxNodes { get; init; } = 250_000;

    /// <summary>
    /// Characters of keys and scalars after expansion: four ConfigMaps' worth. Real values expand two or three times
    /// (a 733-line chart values file with 200 aliases: 2.6 times); every rule reads each expanded scalar, so this
    /// bounds their work however few aliases a document uses.
    /// </summary>
    public long MaxExpandedBytes { get; init; } = 4L * ConfigMapMaxBytes;

    /// <summary>
    /// Read plain block YAML with the fast <see cref="BlockYamlParser"/> (anything else goes to YamlDotNet either way).
    /// Off only in tests that hold the two parsers to the same result.
    /// </summary>
    public bool UseBlockParser { get; init; } = true;
}
