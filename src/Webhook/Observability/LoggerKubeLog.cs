using AiGatewayModels.Kube;
using Microsoft.Extensions.Logging;

namespace AiGatewayModels.Webhook.Observability;

/// <summary>The client's loops and the shared policy watch, in the webhook's structured log.</summary>
internal sealed partial class LoggerKubeLog(ILogger logger) : IKubeLog
{
    public void Info(string message) => LogInfo(logger, message);

    public void Warn(string message) => LogWarn(logger, message);

    public void Failure(string message) => LogError(logger, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogInfo(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogWarn(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    private static partial void LogError(ILogger logger, string message);
}
