using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Storage;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// A package target that names its versions (<c>npm: "@acme/ranged@&gt;=1.3.0"</c>) on a real
/// Verdaccio: only the versions in the range are scanned, on the first poll and after it; before,
/// every poll of such a target failed (it was asked for as <c>…@&gt;=1.3.0@all</c>).
/// </summary>
public sealed class WatchVersionRangeTests : IDisposable
{
    private const string Package = "@acme/ranged";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly string _alertFile;
    private WatchProcess? _worker;

    public WatchVersionRangeTests() => _alertFile = Path.Join(_dir, "alerts.jsonl");

    public void Dispose()
    {
        _worker?.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A version whose one file leaks a token of its own (the version's digits in its last four characters).</summary>
    private void Publish(string version, string? tag = null) => _registry.Publish(Package, version, new Dictionary<string, string>
    {
        ["lib/config.js"] = $"exports.token = \"ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu{string.Concat(version.Where(char.IsDigit)).PadLeft(4, 'x')}\";\n",
    }, tag: tag);

    private List<string> AlertedVersions() =>
        !File.Exists(_alertFile)
            ? []
            : [.. File.ReadAllLines(_alertFile).Select(line =>
                JsonDocument.Parse(line).RootElement.GetProperty("finding").GetProperty("location").GetProperty("version").GetString()!).Order()];

    [Fact]
    public async Task Only_the_versions_in_the_targets_range_are_scanned_on_the_first_poll_and_after()
    {
        foreach (string version in new[] { "1.0.0", "1.2.9", "1.3.0", "1.4.0" })
        {
            Publish(version);
        }
        int apiPort = WebhookReceiver.FreePort();
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: "{Package}@>=1.3.0"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - file: {_alertFile}
            api:
              listen: 127.0.0.1:{apiPort}
            """);
        var worker = _worker = new WatchProcess(config, _dir);
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
