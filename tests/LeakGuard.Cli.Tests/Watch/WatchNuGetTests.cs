using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>leakguard watch</c> on a NuGet feed (a v3 flat container serving packages made by
/// <c>dotnet pack</c>): the leaking version alerts once, compared with the version before it, and
/// a later version that still ships the same leak is that finding seen again, not a new one.
/// </summary>
public sealed class WatchNuGetTests(PackedNuGetPackages packages) : IClassFixture<PackedNuGetPackages>, IDisposable
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly WebhookReceiver _receiver = new();
    private WatchProcess? _worker;

    [Fact]
    public void A_leaking_version_alerts_once_and_the_same_leak_in_the_next_version_is_no_new_alert()
    {
        string config = Path.Join(_dir, "leakguard.yaml");
        string store = $"sqlite:{Path.Join(_dir, "leakguard.db")}";
        int apiPort = WebhookReceiver.FreePort();
        File.WriteAllText(config, $"""
            store: {store}
            targets:
              - nuget: Acme.Client
                source: {packages.Feed.IndexUrl}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
            api:
              listen: 127.0.0.1:{apiPort}
            """);

        var worker = _worker = new WatchProcess(config, _dir);
        Eventually.True(() => _receiver.Bodies.Count > 0, AlertWait, () => $"no alert; log:\n{worker.Log}");
        var finding = JsonDocument.Parse(Assert.Single(_receiver.Bodies)).RootElement.GetProperty("finding");
        Assert.Equal("test.github", finding.GetProperty("ruleId").GetString());
        Assert.Equal("Acme.Client", finding.GetProperty("location").GetProperty("package").GetString());
        Assert.Equal("1.1.0", finding.GetProperty("location").GetProperty("version").GetString());
        Assert.Equal("1.0.0", finding.GetProperty("newSince").GetString());

        packages.Feed.Add("Acme.Client", "1.2.0", packages.LeakyNupkg);
        worker.WaitForLog("scanned Acme.Client@1.2.0.nupkg", AlertWait);
        // The poll that scanned 1.2.0 has ended once a later one has, and what it raised is delivered: an alert would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, apiPort, store, DateTimeOffset.UtcNow, AlertWait);

        Assert.Single(_receiver.Bodies);
        Assert.Matches(@"scanned Acme\.Client@1\.2\.0\.nupkg: \d+ blobs, 1 findings, 0 new", worker.Log);
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
