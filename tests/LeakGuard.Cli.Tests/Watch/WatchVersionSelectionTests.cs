using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Storage;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// Which versions a package target scans, on a real Verdaccio: a target that names its versions
/// (<c>npm: "@acme/ranged@&gt;=1.3.0"</c>; before, every poll of such a target failed, asked for as
/// <c>…@&gt;=1.3.0@all</c>), and <c>backfill:</c> on the first poll.
/// </summary>
public sealed class WatchVersionSelectionTests : IDisposable
{
    private const string Package = "@acme/ranged";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly string _alertFile;
    private WatchProcess? _worker;

    public WatchVersionSelectionTests() => _alertFile = Path.Join(_dir, "alerts.jsonl");

    public void Dispose()
    {
        _worker?.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A version whose one file leaks a token of its own (the package's and the version's
    /// letters and digits in its last eight characters).</summary>
    private void Publish(string version, string? tag = null, string package = Package) => _registry.Publish(package, version, new Dictionary<string, string>
    {
        ["lib/config.js"] = $"exports.token = \"ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs{string.Concat(package.Where(char.IsLetter)).PadLeft(4, 'x')[^4..]}{string.Concat(version.Where(char.IsDigit)).PadLeft(4, 'x')}\";\n",
    }, tag: tag);

    /// <summary>package@version of every alert the file channel has delivered, in order.</summary>
    private List<string> Alerted() =>
        !File.Exists(_alertFile)
            ? []
            : [.. File.ReadAllLines(_alertFile).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("finding").GetProperty("location"))
                .Select(l => $"{l.GetProperty("package").GetString()}@{l.GetProperty("version").GetString()}").Order(StringComparer.Ordinal)];

    private List<string> AlertedVersions() => [.. Alerted().Select(a => a[(a.LastIndexOf('@') + 1)..])];

    /// <summary>Writes the configuration with <paramref name="targets"/> (YAML list items) and starts a worker.</summary>
    private WatchProcess Start(string targets, int apiPort)
    {
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
            {targets}
            alerts:
              - file: {_alertFile}
            api:
              listen: 127.0.0.1:{apiPort}
            """);
        return _worker = new WatchProcess(config, _dir);
    }

    [Fact]
    public void Backfill_decides_what_the_first_poll_scans_and_every_release_after_it_is_scanned()
    {
        foreach (string package in new[] { "@acme/newest", "@acme/fresh", "@scoped/early" })
        {
            foreach (string version in new[] { "1.0.0", "1.1.0", "1.2.0" })
            {
                Publish(version, package: package);
            }
        }
        int apiPort = WebhookReceiver.FreePort();
        var worker = Start($"""
              - npm: "@acme/newest"
                registry: {_registry.Url}
                every: 1s
                backfill: latest
              - npm: "@acme/fresh"
                registry: {_registry.Url}
                every: 1s
                backfill: none
              - npm: "@scoped/*"
                registry: {_registry.Url}
                every: 1s
                backfill: none
            """, apiPort);
        // A target logs what its first poll left unscanned once the whole poll is done, which can be
        // after the alert of the version it did scan: wait for both targets' lines.
        const string NewestFirstPoll = "npm:@acme/newest: first poll: 2 versions published before it recorded without scanning (backfill: latest)";
        Eventually.True(() => Alerted().Count >= 1 && worker.Log.Contains("@scoped/*: first poll: 3 versions", StringComparison.Ordinal)
                && worker.Log.Contains(NewestFirstPoll, StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => $"alerts: {string.Join(", ", Alerted())}; log:\n{worker.Log}");
        Assert.Equal(["@acme/newest@1.2.0"], Alerted());

        // After the first poll: new releases, and a package new to the scope, are all scanned.
        Publish("1.3.0", package: "@acme/newest");
        Publish("1.3.0", package: "@acme/fresh");
        Publish("1.0.0", package: "@scoped/late");
        Eventually.True(() => Alerted().Count >= 4, TimeSpan.FromSeconds(60), () => $"alerts: {string.Join(", ", Alerted())}; log:\n{worker.Log}");
        PollEvidence.WaitForPollAndDelivery(worker, apiPort, $"sqlite:{Path.Join(_dir, "leakguard.db")}", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30));
        Assert.Equal(["@acme/fresh@1.3.0", "@acme/newest@1.2.0", "@acme/newest@1.3.0", "@scoped/late@1.0.0"], Alerted());
        // 1.3.0 after versions recorded without scanning is compared with nothing: new since no version.
        var fresh = JsonDocument.Parse(Assert.Single(File.ReadAllLines(_alertFile), l => l.Contains("@acme/fresh", StringComparison.Ordinal))).RootElement;
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("finding").GetProperty("newSince").ValueKind);
    }

    [Fact]
    public async Task Only_the_versions_in_the_targets_range_are_scanned_on_the_first_poll_and_after()
    {
        foreach (string version in new[] { "1.0.0", "1.2.9", "1.3.0", "1.4.0" })
        {
            Publish(version);
        }
        int apiPort = WebhookReceiver.FreePort();
        var worker = Start($"""
              - npm: "{Package}@>=1.3.0"
                registry: {_registry.Url}
                every: 1s
            """, apiPort);
        Eventually.True(() => AlertedVersions().Count >= 2, TimeSpan.FromSeconds(60), () => $"alerts: {string.Join(", ", AlertedVersions())}; log:\n{worker.Log}");

        // Later: a release below the range, one in it, and a pre-release, which a range without one
        // leaves out (npm's semantics).
        Publish("1.2.10", tag: "legacy");
        Publish("2.0.0");
        Publish("2.1.0-beta.1", tag: "next");
        Eventually.True(() => AlertedVersions().Contains("2.0.0"), TimeSpan.FromSeconds(60), () => $"alerts: {string.Join(", ", AlertedVersions())}; log:\n{worker.Log}");
        PollEvidence.WaitForPollAndDelivery(worker, apiPort, $"sqlite:{Path.Join(_dir, "leakguard.db")}", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30));

        Assert.Equal(["1.3.0", "1.4.0", "2.0.0"], AlertedVersions());
        Assert.DoesNotContain("polling failed", worker.Log, StringComparison.Ordinal);
        await using var store = await StoreFactory.OpenAsync($"sqlite:{Path.Join(_dir, "leakguard.db")}");
        Assert.Equal(["1.3.0", "1.4.0", "2.0.0"], (await store.GetReleasesAsync($"npm:{Package}@>=1.3.0", Package)).Keys.Order(StringComparer.Ordinal));
    }
}
