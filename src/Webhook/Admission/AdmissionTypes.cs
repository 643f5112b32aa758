using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGatewayModels.Webhook.Admission;

// admission.k8s.io/v1 as the apiserver sends and expects it. Only the fields the webhook reads or writes;
// unknown fields are ignored (newer apiservers add some), duplicate keys are refused (see AdmissionJsonContext).

public sealed class AdmissionReview
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public AdmissionRequest? Request { get; set; }

    public AdmissionResponse? Response { get; set; }
}

public sealed class AdmissionRequest
{
    public string? Uid { get; set; }

    public GroupVersionKind? Kind { get; set; }

    public GroupVersionResource? Resource { get; set; }

    public string? SubResource { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Operation { get; set; }

    public UserInfo? UserInfo { get; set; }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "the AdmissionRequest field is called object")]
    public JsonElement? Object { get; set; }

    public JsonElement? OldObject { get; set; }

    public bool? DryRun { get; set; }
}

public sealed class GroupVersionKind
{
    public string? Group { get; set; }

    public string? Version { get; set; }

    public string? Kind { get; set; }
}

public sealed class GroupVersionResource
{
    public string? Group { get; set; }

    public string? Version { get; set; }

    public string? Resource { get; set; }
}

public sealed class UserInfo
{
    public string? Username { get; set; }

    public string? Uid { get; set; }

    public IReadOnlyList<string>? Groups { get; set; }

    /// <summary>The authenticator's extra attributes (scopes, a token's pod binding); authorizers may decide by them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra { get; set; }
}

public sealed class AdmissionResponse
{
    public string Uid { get; set; } = string.Empty;

    public bool Allowed { get; set; }

    public AdmissionStatus? Status { get; set; }

    /// <summary>A JSONPatch document; serialised as base64, as the API wants it.</summary>
    public byte[]? Patch { get; set; }

    public string? PatchType { get; set; }

    public IReadOnlyList<string>? Warnings { get; set; }
}

public sealed class AdmissionStatus
{
    public int Code { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A plain error body for requests that are not AdmissionReviews at all (4xx answers).</summary>
public sealed class ErrorBody
{
    public string Error { get; set; } = string.Empty;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(AdmissionReview))]
[JsonSerializable(typeof(ErrorBody))]
public sealed partial class AdmissionJsonContext : JsonSerializerContext;
