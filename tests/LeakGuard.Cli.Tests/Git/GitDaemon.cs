using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests.Git;

/// <summary>A real <c>git daemon</c> on 127.0.0.1 serving (and accepting pushes to) bare
/// repositories in a temporary folder; stopped on Dispose.</summary>
internal sealed class GitDaemon : IDisposable
{
    private readonly Process _process;

    public GitDaemon()
    {
        Root = Directory.CreateTempSubdirectory("leakguard-git-daemon-").FullName;
        Port = FreePort();
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[]
        {
            "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors",
            "--listen=127.0.0.1", $"--port={Port}", $"--base-path={Root}", Root,
        })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public string Root { get; }
    public int Port { get; }

    public string Url(string name) => $"git://127.0.0.1:{Port}/{name}";

    /// <summary>Creates an empty bare repository the daemon serves under <paramref name="name"/>.</summary>
    public string CreateRepository(string name)
    {
        _ = new TestRepository(Path.Join(Root, name), bare: true);
        return Url(name);
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"git daemon exited with {_process.ExitCode}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"git daemon did not listen on 127.0.0.1:{Port} within 15 s");
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
