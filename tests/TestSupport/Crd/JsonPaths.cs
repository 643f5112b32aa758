namespace AiGatewayModels.TestSupport;

/// <summary>Error paths in the form <c>spec.rules[0].backendRefs[1].weight</c>; the whole object is <c>&lt;root&gt;</c>.</summary>
internal static class JsonPaths
{
    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Root(string path) => path.Length == 0 ? "<root>" : path;
}
