using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// A real npm registry (Verdaccio 5.33.0, installed by tests/setup/verdaccio.sh) on 127.0.0.1
/// with a free port and throwaway storage, holding packages published by the real npm client.
/// Started once for the tests that share it; killed on dispose.
/// </summary>
public sealed class VerdaccioRegistry : IDisposable
{
    private readonly RunningProcess _process;

    public string Root { get; } = Directory.CreateTempSubdirectory("leakguard-verdaccio-").FullName;

    public string Url { get; }

    /// <summary>An .npmrc with a token for this registry: Verdaccio lets anyone publish here.</summary>
    public string UserConfig { get; }

    public VerdaccioRegistry()
    {
        string tools = Environment.GetEnvironmentVariable("LEAKGUARD_TOOLS")
            ?? Path.Join(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")
                ?? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "leakguard-tools");
        string verdaccio = Path.Join(tools, "verdaccio-5.33.0", "node_modules", "verdaccio", "bin", "verdaccio");
        if (!File.Exists(verdaccio))
        {
            throw new InvalidOperationException($"Verdaccio is not installed at {verdaccio}: run tests/setup/verdaccio.sh (./test does)");
        }
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        File.WriteAllText(Path.Join(Root, "config.yaml"), """
            storage: ./storage
            uplinks: {}
            auth:
              htpasswd: { file: ./htpasswd, max_users: 10 }
            packages:
              '@private/*': { access: $authenticated, publish: $authenticated }
              '@*/*': { access: $all, publish: $all, unpublish: $all }
              '**': { access: $all, publish: $all, unpublish: $all }
            log: { type: stdout, format: pretty, level: warn }
            """);
        UserConfig = Path.Join(Root, "npmrc");
        File.WriteAllText(UserConfig, $"registry={Url}\n//127.0.0.1:{port}/:_authToken=leakguard-test\n");

        _process = ProcessRunner.Start(new ProcessCommand("node", verdaccio, "--config", Path.Join(Root, "config.yaml"), "--listen", $"127.0.0.1:{port}")
        {
            WorkingDirectory = Root,
        });
        WaitUntilReady();
    }

    private void WaitUntilReady()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Verdaccio exited with {_process.ExitCode} before it was ready: {_process.Output}");
            }
            try
            {
                if (client.GetAsync(new Uri(Url + "-/ping")).GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Thread.Sleep(200);
        }
        Dispose();
        throw new InvalidOperationException("Verdaccio was not ready within 60 s");
    }

    /// <summary>Registers a user the way <c>npm adduser</c> does and returns the registry's
    /// token for it: the credential that <c>@private/*</c> packages require.</summary>
    public string AddUser(string name, string password)
    {
        using var client = new HttpClient();
        using var body = new StringContent($$"""{ "name": "{{name}}", "password": "{{password}}" }""", System.Text.Encoding.UTF8, "application/json");
        var response = client.PutAsync(new Uri($"{Url}-/user/org.couchdb.user:{name}"), body).GetAwaiter().GetResult();
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, text);
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Writes package.json and files into a fresh folder and publishes it with npm.</summary>
    /// <param name="tag">The dist-tag (npm needs one for a pre-release, or a version below <c>latest</c>).</param>
    public void Publish(string name, string version, IReadOnlyDictionary<string, string> files, string? userConfig = null, string description = "",
        string? tag = null)
    {
        string dir = Directory.CreateTempSubdirectory("leakguard-npm-pkg-").FullName;
        File.WriteAllText(Path.Join(dir, "package.json"),
            $$"""{ "name": "{{name}}", "version": "{{version}}", "description": "{{description}}", "license": "UNLICENSED" }""");
        foreach (var (path, text) in files)
        {
            string full = Path.Join(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        ExternalTool.Run(dir, "npm", ["publish", "--registry", Url, "--userconfig", userConfig ?? UserConfig, "--loglevel", "error",
            .. (string[])(tag is null ? [] : ["--tag", tag])]);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Publishes a tarball made elsewhere, as it is (<c>npm publish FILE.tgz</c>).</summary>
    public void PublishTarball(string tarball) =>
        ExternalTool.Run(Path.GetDirectoryName(tarball)!, "npm", "publish", tarball, "--registry", Url, "--userconfig", UserConfig, "--loglevel", "error");

    /// <summary>Where Verdaccio keeps a published tarball.</summary>
    public string StoredTarball(string scope, string name, string version) =>
        Path.Join(Root, "storage", scope, name, $"{name}-{version}.tgz");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
