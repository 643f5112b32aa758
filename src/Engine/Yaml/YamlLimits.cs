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

    public int MaxAliases { get; init; } = 64;

    /// <summary>Nodes after alias expansion; a 1 MiB document of small scalars has well under this many.</summary>
    public long MaxNodes { get; init; } = 250_000;

    /// <summary>
    /// Read plain block YAML with the fast <see cref="BlockYamlParser"/> (anything else goes to YamlDotNet either way).
    /// Off only in tests that hold the two parsers to the same result.
    /// </summary>
    public bool UseBlockParser { get; init; } = true;
}
