using System.Diagnostics;
using System.Globalization;
using AiGatewayModels.TestSupport;
using AiGatewayModels.TestSupport.Processes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>
/// A real, isolated Kubernetes v1.20 control plane for one test run: etcd, kube-apiserver and kube-controller-manager
/// (garbage collector on, every controller under its own ServiceAccount, no leader election) on free loopback ports, in a fresh temporary directory, with every
/// upstream CRD installed. Tests get an admin <see cref="Client"/>, the <see cref="KubeconfigPath"/> and a namespace
/// of their own from <see cref="CreateNamespaceAsync"/>. Every process is stopped by its PID on dispose, also when
/// tests fail or startup fails. Binaries come from hack/control-plane/build.sh; without them, startup fails.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Set to 1 to keep the work directory (logs, etcd data, kubeconfig) after the run.</summary>
    public const string KeepDirVariable = "CONTROL_PLANE_KEEP_DIR";

    private static readonly TimeSpan EtcdTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ApiServerTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ControllerManagerTimeout = TimeSpan.FromSeconds(60);

    private readonly IMessageSink diagnostics;
    private readonly List<ProcessHandle> processes = []; // in start order; stopped in reverse
    private Kubernetes? client;
    private ControlPlaneCredentials? credentials;
    private string? apiServerExecutable;
    private string[] apiServerArguments = [];
    private int apiServerRestarts;
    private int disposed;

    public ControlPlaneFixture(IMessageSink diagnostics)
    {
        this.diagnostics = diagnostics;
        WorkDir = Directory.CreateTempSubdirectory("kube-control-plane-").FullName;
        KubeconfigPath = Path.Combine(WorkDir, "kubeconfig");
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit; // a last resort if the test host exits without disposing
    }

    /// <summary>An admin client (group system:masters).</summary>
    public Kubernetes Client => client ?? throw new InvalidOperationException("the control plane is not started");

    /// <summary>An admin kubeconfig for kubectl or child processes (KUBECONFIG=...).</summary>
    public string KubeconfigPath { get; }

    /// <summary>The temporary directory with the logs (etcd.log, apiserver.log, kcm.log), credentials and etcd data.</summary>
    public string WorkDir { get; }

    public Uri? ApiServerUrl { get; private set; }

    /// <summary>etcd's client URL (plain HTTP on loopback), for etcdctl.</summary>
    public Uri? EtcdUrl { get; private set; }

    /// <summary>The names of the CRDs that were installed.</summary>
    public IReadOnlyList<string> InstalledCrds { get; private set; } = [];

    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception e)
        {
            var failure = StartupFailure(e); // reads the logs before Dispose deletes them
            Dispose();
            throw failure;
        }
    }

    /// <summary>The admin token (group system:masters), e.g. for a test exec credential plugin to print.</summary>
    public string AdminToken => (credentials ?? throw new InvalidOperationException("the control plane is not started")).Token;

    /// <summary>A kubeconfig for this apiserver (trusting its CA) with another user (see <see cref="ControlPlaneCredentials.WriteKubeconfig(string, Uri, string, string)"/>).</summary>
    public void WriteKubeconfig(string path, string user, string userYaml) =>
        (credentials ?? throw new InvalidOperationException("the control plane is not started")).WriteKubeconfig(path, ApiServerUrl!, user, userYaml);

    /// <summary>Creates a namespace with a unique name for one test and returns its name.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix = "test")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        client?.Dispose();
        var errors = new List<Exception>();
        for (var i = processes.Count - 1; i >= 0; i--)
        {
            try
            {
                processes[i].Dispose();
            }
            catch (Exception e) // keep stopping the others
            {
                errors.Add(e);
            }
        }

        if (Environment.GetEnvironmentVariable(KeepDirVariable) != "1")
        {
            try
            {
                Directory.Delete(WorkDir, recursive: true);
            }
            catch (IOException e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("stopping the control plane failed", errors);
        }
    }

    private async Task StartAsync()
    {
        var total = Stopwatch.StartNew();
        var binaries = ControlPlaneBinaries.Locate();
        var crdsDir = RepoPaths.CrdsDir;
        var ports = FreePorts.Take(3);
        var (etcdPort, etcdPeerPort, apiPort) = (ports[0], ports[1], ports[2]);
        var credentials = this.credentials = ControlPlaneCredentials.Create(Path.Combine(WorkDir, "pki"));
        ApiServerUrl = new Uri($"https://127.0.0.1:{apiPort}");
        credentials.WriteKubeconfig(KubeconfigPath, ApiServerUrl);
        using var probe = new StartupProbe(credentials);

        var etcdUrl = $"http://127.0.0.1:{etcdPort}";
        EtcdUrl = new Uri(etcdUrl);
        var peerUrl = $"http://127.0.0.1:{etcdPeerPort}";
        var etcd = Start("etcd", binaries.Etcd,
            "--name=cp", $"--data-dir={Path.Combine(WorkDir, "etcd")}",
            $"--listen-client-urls={etcdUrl}", $"--advertise-client-urls={etcdUrl}",
            $"--listen-peer-urls={peerUrl}", $"--initial-advertise-peer-urls={peerUrl}",
            $"--initial-cluster=cp={peerUrl}", "--log-level=warn");
        await StartupProbe.WaitAsync(etcd, () => probe.AnswersAsync(new Uri(etcdUrl + "/health"), "{\"health\":\"true\""), EtcdTimeout);
        var etcdReady = total.Elapsed;

        apiServerExecutable = binaries.KubeApiServer;
        apiServerArguments =
        [
            $"--etcd-servers={etcdUrl}",
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", $"--secure-port={apiPort}", "--insecure-port=0",
            $"--cert-dir={Path.Combine(WorkDir, "certs")}",
            $"--tls-cert-file={credentials.ServingCertFile}", $"--tls-private-key-file={credentials.ServingKeyFile}",
            "--service-cluster-ip-range=10.0.0.0/24",
            $"--service-account-key-file={credentials.ServiceAccountPublicKeyFile}",
            $"--service-account-signing-key-file={credentials.ServiceAccountPrivateKeyFile}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            $"--token-auth-file={credentials.TokenFile}", "--authorization-mode=RBAC", "--allow-privileged=true",
        ];
        var apiServer = Start("apiserver", apiServerExecutable, apiServerArguments);
        await StartupProbe.WaitAsync(apiServer, () => probe.AnswersAsync(new Uri(ApiServerUrl, "/readyz"), "ok"), ApiServerTimeout);
        var apiServerReady = total.Elapsed;

        client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        InstalledCrds = await CrdInstaller.InstallAsync(client, crdsDir);
        var crdsReady = total.Elapsed;

        // started after the CRDs, so that the garbage collector watches the custom resources from its first sync.
        // --use-service-account-credentials, as real clusters run it: each controller acts as its own ServiceAccount in
        // kube-system (system:serviceaccount:kube-system:generic-garbage-collector, ...:namespace-controller) with the
        // bootstrap RBAC, so admission webhooks see the identities they see in production. The admin kubeconfig only
        // creates those ServiceAccounts; the token controller signs their tokens with the private key below.
        var controllerManager = Start("kcm", binaries.KubeControllerManager,
            $"--kubeconfig={KubeconfigPath}", "--leader-elect=false", "--use-service-account-credentials",
            "--bind-address=127.0.0.1", "--port=0", "--secure-port=0",
            $"--service-account-private-key-file={credentials.ServiceAccountPrivateKeyFile}",
            $"--root-ca-file={credentials.CaFile}",
            "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-binder,-csrsigning");
        // the service-account controller creating "default" in namespace "default" shows that the controllers run
        await StartupProbe.WaitAsync(controllerManager, DefaultServiceAccountExistsAsync, ControllerManagerTimeout);
        StartupTime = total.Elapsed;

        diagnostics.OnMessage(new DiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"control plane up at {ApiServerUrl} in {StartupTime.TotalSeconds:F1} s (etcd {etcdReady.TotalSeconds:F1} s, " +
            $"apiserver ready {apiServerReady.TotalSeconds:F1} s, {InstalledCrds.Count} CRDs established {crdsReady.TotalSeconds:F1} s); work dir {WorkDir}")));
    }

    /// <summary>
    /// Stops the kube-apiserver process (SIGKILL to its own PID, then waits for its exit) and starts it again with the
    /// same arguments (same etcd, port and certificates), then waits for <c>/readyz</c>. etcd and the controller
    /// manager keep running. Only for a fixture of a test's own: clients of a shared one would see the outage.
    /// The new process logs to <c>apiserver-restart-N.log</c>.
    /// </summary>
    /// <param name="whileDown">run after the kill and before the start: what a test wants done while no apiserver listens.</param>
    public async Task<TimeSpan> RestartApiServerAsync(Func<Task>? whileDown = null)
    {
        var index = processes.FindIndex(p => p.Name.StartsWith("apiserver", StringComparison.Ordinal));
        if (index < 0 || apiServerExecutable is null || credentials is null || ApiServerUrl is null)
        {
            throw new InvalidOperationException("the control plane is not started");
        }

        var watch = Stopwatch.StartNew();
        var old = processes[index];
        var pid = old.Id;
        old.Dispose(); // kills exactly this PID and waits for its exit
        if (whileDown is not null)
        {
            await whileDown();
        }

        var name = "apiserver-restart-" + Interlocked.Increment(ref apiServerRestarts).ToString(CultureInfo.InvariantCulture);
        var restarted = ProcessHandle.Start(name, apiServerExecutable, apiServerArguments, Path.Combine(WorkDir, name + ".log"));
        processes[index] = restarted; // same place in the stop order: before etcd, after the controller manager
        using var probe = new StartupProbe(credentials);
        await StartupProbe.WaitAsync(restarted, () => probe.AnswersAsync(new Uri(ApiServerUrl, "/readyz"), "ok"), ApiServerTimeout);
        diagnostics.OnMessage(new DiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"kube-apiserver restarted (pid {pid} → {restarted.Id}), ready again after {watch.Elapsed.TotalSeconds:F1} s")));
        return watch.Elapsed;
    }

    /// <summary>
    /// Compacts etcd at its current revision (<c>etcdctl compact</c>, API v3): every older revision is gone, so a watch
    /// that etcd serves from an older resourceVersion is answered 410 Gone. Returns the revision compacted at.
    /// </summary>
    public async Task<long> CompactEtcdAsync()
    {
        var endpoint = "--endpoints=" + (EtcdUrl ?? throw new InvalidOperationException("the control plane is not started")).AbsoluteUri.TrimEnd('/');
        // any read answers with the store's current revision in its header
        var header = System.Text.Json.Nodes.JsonNode.Parse(await EtcdctlAsync(endpoint, "get", "--write-out=json", "/compaction-probe"))!["header"]!;
        var revision = header["revision"]!.GetValue<long>();
        await EtcdctlAsync(endpoint, "compact", revision.ToString(CultureInfo.InvariantCulture));
        diagnostics.OnMessage(new DiagnosticMessage(string.Create(CultureInfo.InvariantCulture, $"etcd compacted at revision {revision}")));
        return revision;
    }

    private static async Task<string> EtcdctlAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("etcdctl", arguments, environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" },
            timeout: TimeSpan.FromSeconds(30));
        return code == 0 ? stdout : throw new InvalidOperationException($"etcdctl {string.Join(' ', arguments)} failed ({code}): {stderr}");
    }

    private ProcessHandle Start(string name, string executable, params string[] arguments)
    {
        var process = ProcessHandle.Start(name, executable, arguments, Path.Combine(WorkDir, name + ".log"));
        processes.Add(process);
        return process;
    }

    private async Task<bool> DefaultServiceAccountExistsAsync()
    {
        try
        {
            await Client.CoreV1.ReadNamespacedServiceAccountAsync("default", "default");
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A startup failure, with the tails of the last started process's log and of apiserver.log.</summary>
    private InvalidOperationException StartupFailure(Exception cause)
    {
        var message = $"Starting the test control plane failed: {cause.Message} " +
                      $"(work dir {WorkDir}; set {KeepDirVariable}=1 to keep it)";
        var logs = processes.Select(p => p.LogPath).TakeLast(1).Append(Path.Combine(WorkDir, "apiserver.log")).Distinct();
        foreach (var log in logs)
        {
            var tail = ProcessHandle.LogTail(log);
            if (tail.Length > 0)
            {
                message += $"\n--- tail of {Path.GetFileName(log)} ---\n{tail}";
            }
        }

        return new InvalidOperationException(message, cause);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            Dispose();
        }
        catch (AggregateException)
        {
            // nothing left to report to at process exit
        }
    }
}
