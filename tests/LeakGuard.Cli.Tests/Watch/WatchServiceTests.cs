using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// The service end to end: a real Verdaccio, a webhook receiver on 127.0.0.1 and
/// <c>leakguard watch</c> as its own process with a SQLite store, polling every second.
/// </summary>
public sealed class WatchServiceTests : IDisposable
{
    private const string Package = "@acme/watched";
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly string _config;
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private WatchProcess? _worker;

    public WatchServiceTests()
    {
        _config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(_config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: "{Package}"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
                min-severity: critical
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
    }

    private static readonly Dictionary<string, string> Clean = new() { ["index.js"] = "module.exports = 42;\n" };

    private static readonly Dictionary<string, string> WithSourceMap = new(Clean) { ["dist/index.js.map"] = PublishedPackages.Map };

    private static readonly Dictionary<string, string> WithSourceMapAndToken = new(WithSourceMap)
    {
        ["config.js"] = "module.exports = { token: 'ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK' };\n",
    };

    private string Store => $"sqlite:{Path.Join(_dir, "leakguard.db")}";

    private WatchProcess StartWorker(bool jsonLogs = false) => _worker = new WatchProcess(_config, _dir, jsonLogs);

    private List<JsonElement> AlertsFor(string version) =>
        [.. _receiver.Bodies
            .Select(body => JsonDocument.Parse(body).RootElement.Clone())
            .Where(alert => alert.GetProperty("finding").GetProperty("location").GetProperty("version").GetString() == version)];

    [Fact]
    public void A_leaking_version_alerts_once_across_a_restart_and_an_alert_survives_a_receiver_outage()
    {
        _registry.Publish(Package, "1.0.0", Clean);
        var worker = StartWorker();
        worker.WaitForLog($"scanned {Package}@1.0.0.tgz", AlertWait);
        Assert.Empty(_receiver.Bodies);

        _registry.Publish(Package, "1.1.0", WithSourceMap);
        Eventually.True(() => AlertsFor("1.1.0").Count > 0, AlertWait, () => $"no alert for 1.1.0; log:\n{worker.Log}");
        var alert = Assert.Single(AlertsFor("1.1.0"));
        Assert.Equal("finding.new", alert.GetProperty("event").GetString());
        var finding = alert.GetProperty("finding");
        Assert.Equal(Package, finding.GetProperty("location").GetProperty("package").GetString());
        Assert.Equal("leakguard.source-map-sources", finding.GetProperty("ruleId").GetString());
        Assert.Equal(JsonValueKind.Null, finding.GetProperty("secret").ValueKind);
        // Compared with the version before it: what 1.1.0 adds is in the alert.
        Assert.Equal("1.0.0", finding.GetProperty("newSince").GetString());
        Assert.Contains(finding.GetProperty("releaseChanges").EnumerateArray(),
            change => change.GetString()!.StartsWith($"{Package} 1.1.0 adds package/dist/index.js.map (", StringComparison.Ordinal));

        worker.Kill();
        var restarted = DateTimeOffset.UtcNow;
        worker = StartWorker();
        // A whole poll by the new process, and whatever it raised delivered: a duplicate would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, restarted, AlertWait);
        Assert.Single(_receiver.Bodies);

        // 2.0.0 ships a map again (a release that exposes: one alert naming the release that did
        // before) and adds a token (new: one alert).
        _receiver.Stop();
        _registry.Publish(Package, "2.0.0", WithSourceMapAndToken);
        worker.WaitForLog("alert delivery failed", AlertWait);
        _receiver.Start();
        Eventually.True(() => AlertsFor("2.0.0").Count > 1, TimeSpan.FromSeconds(90), () => $"not two alerts for 2.0.0; log:\n{worker.Log}");
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, DateTimeOffset.UtcNow, AlertWait);
        var second = AlertsFor("2.0.0").Select(a => a.GetProperty("finding")).ToList();
        var token = Assert.Single(second, f => f.GetProperty("ruleId").GetString() == "test.github");
        Assert.Equal("1.1.0", token.GetProperty("newSince").GetString());
        var map = Assert.Single(second, f => f.GetProperty("ruleId").GetString() == "leakguard.source-map-sources");
        Assert.Equal("1.1.0", map.GetProperty("details").GetProperty("exposedBefore").GetString());
        Assert.Equal(3, _receiver.Bodies.Count);
    }

    [Fact]
    public void A_scope_target_watches_every_package_of_the_scope_and_one_published_later()
    {
        File.WriteAllText(_config, File.ReadAllText(_config).Replace($"npm: \"{Package}\"", "npm: \"@acme/*\"", StringComparison.Ordinal));
        _registry.Publish(Package, "1.0.0", WithSourceMap);
        var worker = StartWorker();
        worker.WaitForLog($"scanned {Package}@1.0.0.tgz", AlertWait);

        // A package new to the scope is found by the next listing.
        _registry.Publish("@acme/later", "0.1.0", WithSourceMapAndToken);
        Eventually.True(() => _receiver.Bodies.Count >= 3, AlertWait, () => $"expected three alerts; log:\n{worker.Log}");
        // A whole poll after the third alert, and whatever it raised delivered: a fourth would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, DateTimeOffset.UtcNow, AlertWait);

        var alerts = _receiver.Bodies.Select(body => JsonDocument.Parse(body).RootElement.Clone()).ToList();
        Assert.All(alerts, alert => Assert.Equal("npm:@acme/*", alert.GetProperty("target").GetString()));
        Assert.Equal(
            ["@acme/later leakguard.source-map-sources", "@acme/later test.github", $"{Package} leakguard.source-map-sources"],
            alerts.Select(a => $"{a.GetProperty("finding").GetProperty("location").GetProperty("package").GetString()} {a.GetProperty("finding").GetProperty("ruleId").GetString()}")
                .Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task The_api_lists_what_the_worker_found_and_metrics_name_the_target()
    {
        _registry.Publish(Package, "1.0.0", WithSourceMap);
        var worker = StartWorker();
        worker.WaitForLog($"scanned {Package}@1.0.0.tgz", AlertWait);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WatchProcess.ApiKey);

        using var findings = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/findings?severity=critical", UriKind.Relative)));
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var finding = Assert.Single(findings.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("leakguard.source-map-sources", finding.GetProperty("ruleId").GetString());
        Assert.Equal($"npm:{Package}", finding.GetProperty("target").GetString());
        Assert.Contains($"leakguard_target_last_success_timestamp_seconds{{target=\"npm:{Package}\"}}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Sigterm_stops_the_worker_with_exit_code_0()
    {
        _registry.Publish(Package, "1.0.0", Clean);
        var worker = StartWorker();
        worker.WaitForLog($"scanned {Package}@1.0.0.tgz", AlertWait);

        Assert.Equal(0, worker.Terminate(TimeSpan.FromSeconds(30)));
        Assert.Contains("Stopping", worker.Log, StringComparison.Ordinal);
        Assert.Contains($"npm:{Package}: stopped", worker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void With_json_logs_every_line_is_one_json_event_with_its_properties()
    {
        _registry.Publish(Package, "1.0.0", Clean);
        var worker = StartWorker(jsonLogs: true);
        worker.WaitForLog($"\"What\":\"{Package}@1.0.0.tgz\"", AlertWait);
        Assert.Equal(0, worker.Terminate(TimeSpan.FromSeconds(30)));

        var events = worker.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        var scanned = Assert.Single(events, e => e.GetProperty("@m").GetString()!.Contains("scanned", StringComparison.Ordinal));
        Assert.Equal($"npm:{Package}", scanned.GetProperty("Target").GetString());
        Assert.Equal($"{Package}@1.0.0.tgz", scanned.GetProperty("What").GetString());
        Assert.True(DateTimeOffset.TryParse(scanned.GetProperty("@t").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains(events, e => e.GetProperty("@m").GetString() == "Stopping");
    }

    [Fact]
    public void An_api_port_already_taken_exits_2_before_any_target_is_polled()
    {
        // A target whose poll fails at once: had it been polled, the log would say so.
        File.WriteAllText(_config, File.ReadAllText(_config).Replace($"npm: \"{Package}\"", $"git: {Path.Join(_dir, "no-such-repository")}", StringComparison.Ordinal)
            .Replace($"registry: {_registry.Url}", "# a git target has no registry", StringComparison.Ordinal));
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, _apiPort);
        taken.Start();

        var run = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["LEAKGUARD_API_KEY"] = WatchProcess.ApiKey },
            ["watch", "--config", _config, "--engine", "managed", .. TestRules.Options(_dir, TestRules.GitHub)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"127.0.0.1:{_apiPort}: address already in use", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("polling failed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_port_already_taken_exits_2_naming_it_before_any_target_is_polled()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        File.WriteAllText(_config, File.ReadAllText(_config)
            .Replace($"npm: \"{Package}\"", $"git: {Path.Join(_dir, "no-such-repository")}", StringComparison.Ordinal)
            .Replace($"registry: {_registry.Url}", "# a git target has no registry", StringComparison.Ordinal)
            + $"\ncluster:\n  listen: 127.0.0.1:{port}\n");

        var run = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["LEAKGUARD_API_KEY"] = WatchProcess.ApiKey },
            ["watch", "--config", _config, "--engine", "managed", .. TestRules.Options(_dir, TestRules.GitHub)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"leakguard: cluster.listen 127.0.0.1:{port}: address already in use", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("polling failed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_configuration_exits_2_naming_each_problem_by_line()
    {
        File.WriteAllText(_config, """
            targets:
              - npm: left-pad
                every: 1x
                evry: 1s
            alerts:
              - file: alerts.jsonl
                min-severity: urgent
            """);

        var run = CliRunner.Run("watch", "--config", _config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("leakguard.yaml:3: targets[0].every: '1x' is not an interval", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("leakguard.yaml:7: alerts[0].min-severity: unknown severity 'urgent'", run.Stderr, StringComparison.Ordinal);
        // Not an error by itself, but shown: it may be what the author meant.
        Assert.Contains("leakguard: warning: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("leakguard.yaml:4: targets[0]: unknown key 'evry'", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
