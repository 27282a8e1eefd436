using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests.Git;

/// <summary>A real <c>git daemon</c> on 127.0.0.1 serving (and accepting pushes to) bare
/// repositories in a temporary folder; stopped on Dispose.</summary>
internal sealed class GitDaemon : IDisposable
{
    private Process _process;

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
            _process.Dispose();
            if (attempt == 4)
            {
                throw new InvalidOperationException($"git daemon exited with {exitCode} on five ports in a row");
            }
        }
    }

    private static Process Start(string root, int port)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[]
        {
            "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors",
            "--listen=127.0.0.1", $"--port={port}", $"--base-path={root}", root,
        })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
        _process.Kill(entireProcessTree: true);
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
