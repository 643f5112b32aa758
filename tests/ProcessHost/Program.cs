using System.Diagnostics;
using System.Globalization;
using AiGatewayModels.TestSupport.Processes;

// A stand-in for a test host, for TestProcessTests:
//   ProcessHost children DIR PORT PEER   starts etcd (ports PORT and PEER, data in DIR) and a sleeper (this program,
//                                         "sleep") through TestProcess, from a thread that exits at once, and prints
//                                         "alive <pid> <pid>" once both outlived that thread; then waits to be killed
//   ProcessHost sleep                     sleeps until killed
// Children write to files in DIR (a pipe to this process would let them die of SIGPIPE when it dies, proving nothing).
if (args is ["sleep"])
{
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

if (args is not ["children", var dir, var port, var peer])
{
    Console.Error.WriteLine("usage: ProcessHost children DIR PORT PEER | ProcessHost sleep");
    return 2;
}

var pids = new List<int>();
var starter = new Thread(() =>
{
    var (url, peerUrl) = ($"http://127.0.0.1:{port}", $"http://127.0.0.1:{peer}");
    pids.Add(StartLogged("etcd", dir, "etcd", "--name=host", $"--data-dir={Path.Combine(dir, "etcd")}", $"--listen-client-urls={url}",
        $"--advertise-client-urls={url}", $"--listen-peer-urls={peerUrl}", $"--initial-advertise-peer-urls={peerUrl}", $"--initial-cluster=host={peerUrl}",
        "--log-level=warn"));
    pids.Add(StartLogged("sleeper", dir, Environment.ProcessPath!, Path.Combine(AppContext.BaseDirectory, "ProcessHost.dll"), "sleep"));
});
starter.Start();
starter.Join(); // the thread that asked for the children is gone: with a naive parent-death signal they would be too
Thread.Sleep(500);
var dead = pids.Where(p => !Signals.IsAlive(p)).ToList();
Console.WriteLine(dead.Count == 0
    ? "alive " + string.Join(' ', pids.Select(p => p.ToString(CultureInfo.InvariantCulture)))
    : "died with the starting thread: " + string.Join(' ', dead));
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
return 0;

static int StartLogged(string name, string dir, string program, params string[] arguments)
{
    TestProcess.Check(program);
    var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
    foreach (var a in (string[])["-c", $"exec \"$@\" > '{Path.Combine(dir, name + ".log")}' 2>&1", "sh", program, .. arguments])
    {
        info.ArgumentList.Add(a);
    }

    return TestProcess.Start(info).Id;
}
