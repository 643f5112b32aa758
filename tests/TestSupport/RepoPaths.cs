namespace AiGatewayModels.TestSupport;

/// <summary>Locates the repository and the shared upstream data (CRDs, examples) from a running test.</summary>
public static class RepoPaths
{
    /// <summary>Environment variable that names a directory holding the upstream CRDs, instead of ../shared/crds.</summary>
    public const string CrdsDirVariable = "MODELS_CRDS_DIR";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The upstream CRDs: $MODELS_CRDS_DIR, else ../shared/crds beside the repository.</summary>
    public static string CrdsDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(CrdsDirVariable);
            var dir = string.IsNullOrEmpty(fromEnv) ? Path.Combine(RepoRoot, "..", "shared", "crds") : fromEnv;
            if (!Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException(
                    $"upstream CRDs not found at {Path.GetFullPath(dir)}; set {CrdsDirVariable} to the directory that holds them");
            }

            return Path.GetFullPath(dir);
        }
    }

    public static string SharedDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Webhook.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Webhook.sln not found above " + AppContext.BaseDirectory);
    }
}
