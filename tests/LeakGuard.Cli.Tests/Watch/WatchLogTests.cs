using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// What reaches the service's text log from outside: a registry URL with credentials in
/// leakguard.yaml, the path of an unauthenticated request, the name of a file inside a published
/// tarball. None may show a credential or start a line of its own.
/// </summary>
public sealed class WatchLogTests : IDisposable
{
    private const string RegistryPassword = "Hunter2Secret";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private WatchProcess? _worker;

    /// <summary>@acme/named 1.0.0, a real npm tarball holding a damaged .tgz whose name ends the
    /// line and writes a log line of its own after it.</summary>
    private void PublishForgingPackage()
    {
        string staging = Path.Join(_dir, "staging");
        string package = Path.Join(staging, "package");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Join(package, "package.json"), """{ "name": "@acme/named", "version": "1.0.0", "license": "MIT" }""");
        File.WriteAllText(Path.Join(package, "inner.txt"), string.Concat(Enumerable.Repeat("some text to compress\n", 200)));
        Run(package, "gzip", "-9", "-n", "inner.txt");
        // A real gzip header (no name: 10 bytes) over a damaged body: it cannot be inflated, and the warning names it.
        byte[] inner = File.ReadAllBytes(Path.Join(package, "inner.txt.gz"));
        Array.Fill(inner, (byte)0xFF, 10, inner.Length - 10);
        File.Delete(Path.Join(package, "inner.txt.gz"));
        File.WriteAllBytes(Path.Join(package, "x\n00:00:00 INF npm:acme named: all clear\u001b[2K.tgz"), inner);
        Run(staging, "tar", "-czf", "named-1.0.0.tgz", "package");
        _registry.PublishTarball(Path.Join(staging, "named-1.0.0.tgz"));
    }

    private static void Run(string directory, string file, params string[] args) =>
        ProcessRunner.Run(new ProcessCommand(file, args) { WorkingDirectory = directory, Description = file }, TimeSpan.FromMinutes(1)).EnsureSuccess();

    [Fact]
    public async Task Registry_credentials_request_paths_and_names_in_packages_reach_the_log_escaped_and_redacted()
    {
        PublishForgingPackage();
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: "@acme/missing"
                registry: {_registry.Url.Replace("http://", $"http://ci:{RegistryPassword}@", StringComparison.Ordinal)}
                every: 1s
              - npm: "@acme/named"
                registry: {_registry.Url}
                every: 1s
            api:
              listen: 127.0.0.1:{_apiPort}
            """);

        var worker = _worker = new WatchProcess(config, _dir);
        worker.WaitForLog("Watching 2 targets", TimeSpan.FromSeconds(60));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await http.GetAsync(new Uri($"http://127.0.0.1:{_apiPort}/api/findings%0a00:00:00%20INF%20all%20clear%1b[2K"))).Dispose();
        }
        Eventually.True(
            () => worker.Log.Contains("npm:@acme/missing: polling failed", StringComparison.Ordinal)
                && worker.Log.Contains("truncated or corrupt", StringComparison.Ordinal)
                && worker.Log.Contains("Refused GET", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            () => $"not there yet; log:\n{worker.Log}");
        string log = worker.Log;
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.DoesNotContain(RegistryPassword, log, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($"does not exist on {_registry.Url}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("00:00:00 INF", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', log);
        Assert.Contains(lines, l => l.Contains(@"WRN Refused GET /api/findings\u000a00:00:00 INF all clear\u001b[2K: no API key", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"package/x\u000a00:00:00 INF npm:acme named: all clear\u001b[2K.tgz: gzip archive is truncated", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
