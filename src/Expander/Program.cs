namespace AiGatewayModels.Expander;

internal static class Program
{
    public static int Main() => 0;
}
