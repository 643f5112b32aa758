using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGatewayModels.Kube;

/// <summary>An apiserver answer other than success: the HTTP status and the Status object's reason and message.</summary>
public sealed class KubeApiException(HttpStatusCode status, string reason, string message)
    : Exception($"{(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Reason { get; } = reason;

    public string ApiMessage { get; } = message;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    public bool IsGone => Status == HttpStatusCode.Gone;

    public bool IsInvalid => Status == HttpStatusCode.UnprocessableEntity;

    /// <summary>
    /// The answer's status with the reason and message of the Status object in its body. The body itself is not kept:
    /// apiserver messages quote fields, and an error about a Secret must not carry its data anywhere.
    /// </summary>
    internal static KubeApiException From(HttpStatusCode status, string? body)
    {
        var reason = status.ToString();
        var message = string.Empty;
        try
        {
            if (!string.IsNullOrEmpty(body) && JsonNode.Parse(body) is JsonObject o && o.Str("kind") == "Status")
            {
                reason = o.Str("reason") is { Length: > 0 } r ? r : reason;
                message = o.Str("message") ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // not a Status object: the HTTP status says enough
        }

        return new KubeApiException(status, reason, message);
    }
}
