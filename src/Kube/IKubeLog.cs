namespace AiGatewayModels.Kube;

/// <summary>
/// Where the list-watch loop reports reconnects and relists. The two programs log differently (the expander writes its
/// own lines to stay small under Native AOT, the webhook uses ASP.NET's ILogger), so the loop takes this much only.
/// </summary>
public interface IKubeLog
{
    void Info(string message);

    void Warn(string message);
}
