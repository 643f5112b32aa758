using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiGatewayModels.Engine;
using AiGatewayModels.Integration.Tests.ControlPlane;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.TestSupport.Processes;
using k8s;
using Xunit;
using Xunit.Abstractions;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>
/// The built <c>expander run</c> as a child process (<c>dotnet expander.dll</c> from the test's output, which the project
/// reference puts there): on SIGTERM it stops gracefully, exits 0 and releases the Lease, so that a successor leads at once.
/// </summary>
[Collection(ControlPlaneCollectionDefinition.Name)]
public sealed class ExpanderSigtermTests(ControlPlaneFixture controlPlane, ITestOutputHelper output)
{
    private const string LeaseName = "ai-gateway-models-expander";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SIGTERM_stops_the_run_command_with_exit_code_0_and_releases_the_Lease()
    {
        var ns = await controlPlane.CreateNamespaceAsync("exp-sigterm");
        await ValuesFixtures.CreateSourceSecretAsync(controlPlane.Client, ns, "sigterm-test-key");
        var identity = "expander-child-" + Guid.NewGuid().ToString("N")[..6];
        var dll = Path.Combine(AppContext.BaseDirectory, "expander.dll");
        Assert.True(File.Exists(dll), dll + " is missing (the project reference to src/Expander copies it)");

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "run", "--kubeconfig", controlPlane.KubeconfigPath, "--namespace", ns, "--watch-namespace", ns, "--metrics-bind-address", "127.0.0.1:0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["POD_NAME"] = identity; // the Lease holder's identity
        var log = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.Append(line).Append('\n');
                }
            }
        }

        string Log()
        {
            lock (log)
            {
                return log.ToString();
            }
        }

        using var process = TestProcess.Start(info);
        var pid = process.Id;
        try
        {
            process.OutputDataReceived += Append;
            process.ErrorDataReceived += Append;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            // 1. it leads (the Lease names it) and reconciles a values ConfigMap
            await Eventually.UntilAsync(async () => (await HolderAsync(ns)) == identity || process.HasExited, Timeout, "the child process holds the Lease");
            Assert.False(process.HasExited, "the child exited early:\n" + Log());
            var cm = await ValuesFixtures.CreateValuesAsync(controlPlane.Client, ns, ValuesFixtures.Values());
            var hash = ValuesEvaluator.Evaluate(new Engine.Input.ValuesDocument(ns, ValuesFixtures.Name, cm.Data[WellKnown.ValuesDataKey])).ValuesHash;
            await Eventually.UntilAsync(async () =>
            {
                var status = await ValuesFixtures.StatusAsync(controlPlane.Client, ns);
                return process.HasExited || (status?["ready"]?.GetValue<bool>() == true && status["observedValuesHash"]?.GetValue<string>() == hash);
            }, Timeout, "the child process reconciles the ConfigMap");
            Assert.False(process.HasExited, "the child exited early:\n" + Log());

            // 2. SIGTERM (not Process.Kill, which is SIGKILL): a graceful stop with exit code 0, within a bound
            var stopwatch = Stopwatch.StartNew();
            SendSigterm(pid);
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                try
                {
                    await process.WaitForExitAsync(bound.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail("no exit within 30 s of SIGTERM:\n" + Log());
                }
            }

            var stoppedIn = stopwatch.Elapsed;
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{Log()}");
            var text = Log();
            Assert.Contains("SIGTERM: stopping", text, StringComparison.Ordinal);
            Assert.Contains($"{identity} released the Lease", text, StringComparison.Ordinal);

            // 3. the Lease is released (no holder, 1 s duration): a successor leads at once, far within the 15 s
            //    default Lease duration that it would otherwise wait out
            var lease = await controlPlane.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
            Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity), "holder after SIGTERM: " + lease.Spec.HolderIdentity);
            Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
            var takeover = Stopwatch.StartNew();
            await using var successor = RunningExpander.Start(controlPlane, ns);
            await Eventually.UntilAsync(() => Task.FromResult(successor.Controller.IsLeader), TimeSpan.FromSeconds(10), "a successor leads at once");
            Assert.Equal(successor.Controller.Identity, await HolderAsync(ns));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"exited 0 {stoppedIn.TotalMilliseconds:F0} ms after SIGTERM; successor led after {takeover.Elapsed.TotalMilliseconds:F0} ms\n") +
                string.Join('\n', text.Split('\n').TakeLast(6)));
        }
        finally
        {
            if (!process.HasExited)
            {
                output.WriteLine("killing the child process " + pid.ToString(CultureInfo.InvariantCulture) + ":\n" + Log());
                process.Kill(); // this PID only (SIGKILL)
                process.WaitForExit(10_000);
            }
        }
    }

    private async Task<string?> HolderAsync(string ns)
    {
        try
        {
            return (await controlPlane.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns)).Spec.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static void SendSigterm(int pid) => Assert.True(Signals.Send(pid, Signals.SigTerm), $"SIGTERM to {pid}: no such process");
}
