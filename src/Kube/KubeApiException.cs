using System.Net;

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
}
