using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Storage;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>leakguard watch</c> on a whole scope of a real Verdaccio, where one package holds a version
/// that broke the scanner (a source map with a lone surrogate escape) and a version whose stored
/// tarball no longer matches its integrity, before a version that leaks a token; another package
/// of the scope leaks one too. Neither bad version may hold back the leaks, and each must end up
/// settled instead of being fetched on every poll.
/// </summary>
public sealed class WatchFailedVersionTests : IDisposable
{
    private const string Scope = "npm:@acme/*";
    private const string Broken = "@acme/broken";
    private const string Other = "@acme/other";
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly string _alertFile;
    private readonly string _config;
    private WatchProcess? _worker;

    public WatchFailedVersionTests()
    {
        _alertFile = Path.Join(_dir, "alerts.jsonl");
        _config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(_config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: "@acme/*"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - file: {_alertFile}
            api:
              listen: 127.0.0.1:{WebhookReceiver.FreePort()}
            """);
    }

    /// <summary>(package, version) of every alert the file channel has delivered.</summary>
    private List<(string Package, string Version)> Alerted() =>
        !File.Exists(_alertFile)
            ? []
            : [.. File.ReadAllLines(_alertFile).Select(line =>
            {
                var location = JsonDocument.Parse(line).RootElement.GetProperty("finding").GetProperty("location");
                return (location.GetProperty("package").GetString()!, location.GetProperty("version").GetString()!);
            })];

    [Fact]
    public async Task A_version_that_cannot_be_scanned_holds_back_no_later_version_or_package_and_is_recorded_as_failed_after_its_retries()
    {
        var leak = new Dictionary<string, string> { ["lib/config.js"] = $"exports.token = \"{Token}\";\n" };
        // A 100-byte map that made the scanner throw: a lone surrogate escape in a source's content.
        _registry.Publish(Broken, "1.0.0", new Dictionary<string, string>
        {
            ["dist/index.js.map"] = """{"version":3,"sources":["a.js"],"sourcesContent":["\udc00 x"],"mappings":""}""",
        });
        _registry.Publish(Broken, "1.1.0", new Dictionary<string, string> { ["index.js"] = "module.exports = 1;\n" });
        // Another tarball in its place: the registry serves it, but it is not what was published.
        File.Copy(_registry.StoredTarball("@acme", "broken", "1.0.0"), _registry.StoredTarball("@acme", "broken", "1.1.0"), overwrite: true);
        _registry.Publish(Broken, "1.2.0", leak);
        _registry.Publish(Other, "1.0.0", leak);

        var worker = _worker = new WatchProcess(_config, _dir);
        string failedLine = $"{Scope}: {Broken}@1.1.0.tgz could not be scanned in 3 attempts and is recorded as failed";
        Eventually.True(
            () => Alerted().Contains((Broken, "1.2.0")) && Alerted().Contains((Other, "1.0.0")) && worker.Log.Contains(failedLine, StringComparison.Ordinal),
            TimeSpan.FromSeconds(90),
            () => $"alerts: [{string.Join(", ", Alerted())}]; log:\n{worker.Log}");
        // Several more polls: a version recorded as failed is not fetched again.
        await Task.Delay(TimeSpan.FromSeconds(4));

        await using var store = await StoreFactory.OpenAsync($"sqlite:{Path.Join(_dir, "leakguard.db")}");
        var failures = await store.GetReleaseFailuresAsync(Scope, Broken);
        var releases = await store.GetReleasesAsync(Scope, Broken);
        var unreadable = failures["1.1.0"];
        Assert.True(unreadable.Failed);
        Assert.Equal(3, unreadable.Attempts);
        Assert.Contains("integrity", unreadable.Reason, StringComparison.Ordinal);
        Assert.Contains("1.2.0", releases.Keys);
        // The map that broke the scanner is settled one way or the other: scanned with a warning
        // once the scanner survives it, else recorded as failed naming the exception.
        Assert.True(releases.ContainsKey("1.0.0") || failures.GetValueOrDefault("1.0.0") is { Failed: true, Attempts: 3 },
            $"1.0.0 is neither scanned nor recorded as failed; log:\n{worker.Log}");
        Assert.Single(worker.Log.Split('\n'), line => line.Contains(failedLine, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
