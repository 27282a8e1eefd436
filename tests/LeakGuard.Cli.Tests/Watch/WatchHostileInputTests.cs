using System.Net;
using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>leakguard watch</c> against what goes wrong in production: four npm targets on a
/// <see cref="HostileRegistry"/>, one good target on a real Verdaccio, a webhook that answers 500
/// forever, a file channel, and a key the configuration does not know. Each problem must be logged
/// once with its reason, and the good target and the working channel must not notice.
/// </summary>
public sealed class WatchHostileInputTests : IDisposable
{
    private const string GoodPackage = "@acme/good";
    private const string GoodToken = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string HugeToken = "ghp_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly HostileRegistry _hostile = new(HugeToken);
    private readonly WebhookReceiver _brokenReceiver = new(HttpStatusCode.InternalServerError);
    private readonly string _alertFile;
    private readonly string _config;
    private WatchProcess? _worker;

    public WatchHostileInputTests()
    {
        _alertFile = Path.Join(_dir, "alerts.jsonl");
        _config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(_config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: {HostileRegistry.Garbage}
                registry: {_hostile.Url}
                every: 1s
              - npm: {HostileRegistry.Huge}
                registry: {_hostile.Url}
                every: 1s
              - npm: {HostileRegistry.NotGzip}
                registry: {_hostile.Url}
                every: 1s
              - npm: {HostileRegistry.Hanging}
                registry: {_hostile.Url}
                every: 1s
                timeout: 2s
                retries: 3
              - npm: "{GoodPackage}"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - webhook: {_brokenReceiver.Url}
              - file: {_alertFile}
            api:
              listen: 127.0.0.1:{WebhookReceiver.FreePort()}
            """);
    }

    /// <summary>The packages the file channel has alerts for.</summary>
    private List<string> AlertedPackages() =>
        !File.Exists(_alertFile)
            ? []
            : [.. File.ReadAllLines(_alertFile)
                .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("finding").GetProperty("location").GetProperty("package").GetString()!)];

    private static int LinesWith(string log, string text) =>
        log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>The one line of the log that contains <paramref name="text"/>; fails if there are more or none.</summary>
    private static string OnlyLineWith(string log, string text) =>
        Assert.Single(log.Split('\n'), line => line.Contains(text, StringComparison.Ordinal));

    [Fact]
    public void Each_hostile_input_is_logged_once_and_the_good_target_and_the_file_channel_still_work()
    {
        _registry.Publish(GoodPackage, "1.0.0", new Dictionary<string, string> { ["lib/config.js"] = $"exports.token = \"{GoodToken}\";\n" });

        var worker = _worker = new WatchProcess(_config, _dir);
        // Several polls of each failing target (the hanging one takes two 2 s attempts per poll)
        // and several delivery attempts to the broken webhook: time enough for a repeat to show.
        Eventually.True(
            () => AlertedPackages().Contains(GoodPackage) && AlertedPackages().Contains(HostileRegistry.Huge)
                && _hostile.Requests("/" + HostileRegistry.Hanging) >= 6
                && _hostile.Requests("/" + HostileRegistry.Garbage) >= 5
                && _brokenReceiver.Bodies.Count >= 4,
            TimeSpan.FromSeconds(50),
            () => $"not there yet: alerts for [{string.Join(", ", AlertedPackages())}], "
                + $"{_hostile.Requests("/" + HostileRegistry.Hanging)} requests for the hanging packument, "
                + $"{_brokenReceiver.Bodies.Count} webhook attempts; log:\n{worker.Log}");
        string log = worker.Log;

        Assert.Contains(
            $"sent a packument for {HostileRegistry.Garbage} that is not JSON",
            OnlyLineWith(log, $"npm:{HostileRegistry.Garbage}: polling failed:"),
            StringComparison.Ordinal);
        string hanging = OnlyLineWith(log, $"npm:{HostileRegistry.Hanging}: polling failed:");
        Assert.Contains("timeout of '00:00:02'", hanging, StringComparison.Ordinal);
        Assert.Contains("(after 1 retry)", hanging, StringComparison.Ordinal);
        OnlyLineWith(log, $"tarball of {HostileRegistry.NotGzip}@1.0.0 is not gzip-compressed (starts with 3c 21 64 6f 63 74 79 70)");
        // Published versions do not change: the odd tarball is remembered as scanned, not fetched again.
        Assert.Equal(1, _hostile.Requests(HostileRegistry.TarballPath(HostileRegistry.NotGzip)));
        Assert.DoesNotContain($"npm:{HostileRegistry.Huge}: polling failed", log, StringComparison.Ordinal);
        OnlyLineWith(log, $"webhook http://127.0.0.1:{_brokenReceiver.Port}: alert delivery failed: receiver answered 500 Internal Server Error");
        Assert.Equal(2, LinesWith(log, $"delivered to file {_alertFile}"));
        OnlyLineWith(log, "leakguard.yaml:16: targets[3]: unknown key 'retries' (known: npm, every, validate, revalidate, registry, timeout, backfill)");
        Assert.True(
            log.IndexOf("unknown key 'retries'", StringComparison.Ordinal) < log.IndexOf("Watching 5 targets", StringComparison.Ordinal),
            "the unknown key is reported at start");
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _brokenReceiver.Dispose();
        _hostile.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
