using System.Globalization;

namespace AiGatewayModels.Common.Metrics;

/// <summary>
/// The memory limit that ends the process when resident memory reaches it: the cgroup's (v2 <c>memory.max</c>, v1
/// <c>memory.limit_in_bytes</c>; a container's <c>resources.limits.memory</c>), else what the GC sees as available
/// (the machine's memory). Read at each scrape: a pod's limit can be resized in place.
/// </summary>
public static class MemoryLimit
{
    private static readonly string[] CgroupFiles = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"];

    public static long Bytes()
    {
        foreach (var file in CgroupFiles)
        {
            try
            {
                // "max" (v2) and a page-rounded long.MaxValue (v1) both mean no limit. Not the GC's figure when there is a
                // limit: in a container the GC keeps its heap to 75 % of it, but the kernel acts on the whole.
                if (File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                    && limit is > 0 and < long.MaxValue / 2)
                {
                    return limit;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // an unreadable cgroup file: the GC's figure below
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
