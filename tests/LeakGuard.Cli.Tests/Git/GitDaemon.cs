using System.Net;
using System.Net.Sockets;
using LeakGuard.Processes;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests.Git;

/// <summary>A real <c>git daemon</c> on 127.0.0.1 serving (and accepting pushes to) bare
/// repositories in a temporary folder; stopped on Dispose.</summary>
internal sealed class GitDaemon : IDisposable
{
    private RunningProcess _process;

    public GitDaemon()
    {
        Root = Directory.CreateTempSubdirectory("leakguard-git-daemon-").FullName;
        // Bounded: a port another process takes between probing and binding is tried again.
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _process = Start(Root, Port);
            if (WaitUntilListening())
            {
                return;
            }
            int exitCode = _process.ExitCode;
            string output = _process.Output;
            _process.Dispose();
            if (attempt == 4)
            {
                throw new InvalidOperationException($"git daemon exited with {exitCode} on five ports in a row: {output}");
            }
        }
    }

    private static RunningProcess Start(string root, int port) =>
        ProcessRunner.Start(new ProcessCommand(
            "git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors",
            "--listen=127.0.0.1", $"--port={port}", $"--base-path={root}", root)
        {
            Environment = new Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" },
        });

    public string Root { get; }
    public int Port { get; private set; }

    public string Url(string name) => $"git://127.0.0.1:{Port}/{name}";

    /// <summary>Creates an empty bare repository the daemon serves under <paramref name="name"/>.</summary>
    public string CreateRepository(string name)
    {
        _ = new TestRepository(Path.Join(Root, name), bare: true);
        return Url(name);
    }

    /// <summary>True once the daemon accepts connections; false when it exited (port taken).</summary>
    private bool WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        _process.Kill();
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

    public void Dispose() => _process.Dispose();
}
