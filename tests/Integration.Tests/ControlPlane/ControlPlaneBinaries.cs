namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>Where the control-plane executables are: what hack/control-plane/build.sh produces and installs.</summary>
public sealed record ControlPlaneBinaries(string Etcd, string KubeApiServer, string KubeControllerManager)
{
    /// <summary>Same variable and default as hack/control-plane/build.sh.</summary>
    public const string CacheVariable = "KUBE_CP_CACHE";

    public static string CacheDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(CacheVariable);
            return string.IsNullOrEmpty(fromEnv)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kube-control-plane", "v1.20.2")
                : fromEnv;
        }
    }

    /// <summary>Finds all three executables, or fails saying how to get them. Never skips.</summary>
    public static ControlPlaneBinaries Locate()
    {
        var cache = CacheDir;
        var apiServer = Path.Combine(cache, "kube-apiserver");
        var controllerManager = Path.Combine(cache, "kube-controller-manager");
        var etcd = FindOnPath("etcd");
        var missing = new List<string>();
        if (!File.Exists(apiServer))
        {
            missing.Add(apiServer);
        }

        if (!File.Exists(controllerManager))
        {
            missing.Add(controllerManager);
        }

        if (etcd is null)
        {
            missing.Add("etcd (on PATH)");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "The integration tests need a local Kubernetes control plane, but these are missing: " + string.Join(", ", missing) +
                $". Run hack/control-plane/build.sh as root (it builds kube-apiserver and kube-controller-manager v1.20.2 into ${CacheVariable}, " +
                "default ~/.cache/kube-control-plane/v1.20.2, and installs Debian's etcd-server), or run hack/test.sh, which does it first.");
        }

        return new ControlPlaneBinaries(etcd!, apiServer, controllerManager);
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
