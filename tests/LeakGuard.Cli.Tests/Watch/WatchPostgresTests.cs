using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>leakguard watch</c> on a PostgreSQL store (a throwaway cluster, a database per test), killed
/// with <c>kill -9</c> and started again as a new process: the store alone carries what was found,
/// what was alerted and which delivery was in flight.
/// </summary>
public sealed class WatchPostgresTests : IClassFixture<PostgresServer>, IDisposable
{
    private const string Package = "@acme/watched";
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Clean = new() { ["index.js"] = "module.exports = 42;\n" };

    private static readonly Dictionary<string, string> WithSourceMap = new(Clean) { ["dist/index.js.map"] = PublishedPackages.Map };

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly string _config;
    private readonly int _apiPort = WebhookReceiver.FreePort();
    // Not the default 11111: another test's silo may hold it.
    private readonly int _clusterPort = WebhookReceiver.FreePort();
    private readonly string _store;
    private WatchProcess? _worker;

    public WatchPostgresTests(PostgresServer server)
    {
        _store = server.CreateDatabaseUri();
        _config = Path.Join(_dir, "leakguard.yaml");
    }

    private void WriteConfig(string webhookTimeout)
    {
        File.WriteAllText(_config, $"""
            store: {_store}
            targets:
              - npm: "{Package}"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
                min-severity: critical
                timeout: {webhookTimeout}
            api:
              listen: 127.0.0.1:{_apiPort}
            cluster:
              listen: 127.0.0.1:{_clusterPort}
            """);
    }

    private WatchProcess StartWorker() => _worker = new WatchProcess(_config, _dir);

    private List<JsonElement> AlertsFor(string version) =>
        [.. _receiver.Bodies
            .Select(body => JsonDocument.Parse(body).RootElement.GetProperty("finding").Clone())
            .Where(finding => finding.GetProperty("location").GetProperty("version").GetString() == version)];

    private HttpClient ApiClient()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WatchProcess.ApiKey);
        return http;
    }

    [Fact]
    public async Task A_leaking_version_alerts_once_across_kill_9_and_the_api_lists_it_from_postgresql()
    {
        WriteConfig("15s");
        _registry.Publish(Package, "1.0.0", WithSourceMap);
        var worker = StartWorker();
        Eventually.True(() => AlertsFor("1.0.0").Count > 0, AlertWait, () => $"no alert for 1.0.0; log:\n{worker.Log}");
        // Killed once the store has the alert as delivered: a kill just before that rightly sends it again.
        worker.WaitForLog("delivered to", AlertWait);
        var alert = Assert.Single(AlertsFor("1.0.0"));
        Assert.Equal(Package, alert.GetProperty("location").GetProperty("package").GetString());
        Assert.Equal("leakguard.source-map-sources", alert.GetProperty("ruleId").GetString());

        worker.Kill();
        worker = StartWorker();
        // A clean version published after the restart shows the new process has polled, and that
        // it remembered 1.0.0 as scanned; a whole poll after that, and whatever it raised
        // delivered, and a duplicate alert would be here now.
        _registry.Publish(Package, "1.0.1", Clean);
        worker.WaitForLog($"scanned {Package}@1.0.1.tgz", AlertWait);
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, _store, DateTimeOffset.UtcNow, AlertWait);
        Assert.DoesNotContain($"scanned {Package}@1.0.0.tgz", worker.Log, StringComparison.Ordinal);
        Assert.Single(_receiver.Bodies);

        using var http = ApiClient();
        using var findings = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/findings?severity=critical", UriKind.Relative)));
        var finding = Assert.Single(findings.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal($"npm:{Package}", finding.GetProperty("target").GetString());
        Assert.Equal("1.0.0", finding.GetProperty("location").GetProperty("version").GetString());
        Assert.Equal(alert.GetProperty("fingerprint").GetString(), finding.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void An_alert_in_flight_when_the_worker_is_killed_is_sent_once_by_the_next_worker_after_the_lease()
    {
        // A 2 s attempt makes the lease 10 s (twice the timeout plus 5 s, at least 10 s).
        WriteConfig("2s");
        var lease = TimeSpan.FromSeconds(10);
        _receiver.Hold();
        _registry.Publish(Package, "1.0.0", WithSourceMap);
        var worker = StartWorker();
        Assert.True(_receiver.WaitForHeld(AlertWait), $"no alert arrived; log:\n{worker.Log}");
        var sinceClaim = Stopwatch.StartNew();
        // Within the attempt's 2 s: the worker dies not knowing whether the receiver got the alert.
        worker.Kill();
        _receiver.Answer(HttpStatusCode.OK);

        worker = StartWorker();
        Eventually.True(() => AlertsFor("1.0.0").Count > 0, lease + TimeSpan.FromSeconds(30),
            () => $"no alert for 1.0.0 within the lease and 30 s; log:\n{worker.Log}");
        var deliveredAfter = sinceClaim.Elapsed;
        worker.WaitForLog("delivered to", AlertWait);
        // A whole poll after the delivery, and the outbox empty: a second delivery would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, _store, DateTimeOffset.UtcNow, AlertWait);

        // One attempt by the killed worker (it did not time out and retry), then one delivery.
        Assert.Single(_receiver.HeldBodies);
        Assert.Single(AlertsFor("1.0.0"));
        Assert.Single(_receiver.Bodies);
        // Not before the killed worker's lease ran out (less the moments between claim and arrival).
        Assert.True(deliveredAfter >= lease - TimeSpan.FromSeconds(2), $"delivered {deliveredAfter} after the first attempt, inside its {lease} lease");
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
