using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>POST /api/scans</c> on a running worker: a sweep of a whole npm scope of a real Verdaccio,
/// which the worker does not watch, scanned by the worker, recorded in its store and alerted like
/// a watched target; its progress read back through <c>GET /api/scans/{id}</c>.
/// </summary>
public sealed class WatchSweepTests : IDisposable
{
    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly string _alertFile;
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private readonly HttpClient _http;
    private WatchProcess? _worker;

    public WatchSweepTests()
    {
        _alertFile = Path.Join(_dir, "alerts.jsonl");
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WatchProcess.ApiKey);
    }

    public void Dispose()
    {
        _http.Dispose();
        _worker?.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static Dictionary<string, string> Leaking(string tail) =>
        new() { ["lib/config.js"] = $"exports.token = \"ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu{tail}\";\n" };

    [Fact]
    public async Task A_sweep_of_a_scope_is_scanned_by_the_worker_recorded_alerted_and_reports_its_progress()
    {
        _registry.Publish("@sweep/a", "1.0.0", new Dictionary<string, string> { ["index.js"] = "module.exports = 1;\n" });
        _registry.Publish("@sweep/a", "1.1.0", Leaking("AAA1"));
        _registry.Publish("@sweep/b", "2.0.0", Leaking("BBB2"));
        _registry.Publish("@watched/c", "1.0.0", new Dictionary<string, string> { ["index.js"] = "module.exports = 2;\n" });
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - npm: "@watched/c"
                registry: {_registry.Url}
                every: 1h
            alerts:
              - file: {_alertFile}
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
        var worker = _worker = new WatchProcess(config, _dir);
        worker.WaitForLog("Watching 1 targets", TimeSpan.FromSeconds(60));

        using (var bad = await _http.PostAsJsonAsync("/api/scans", new { target = "ftp:somewhere" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("name a target as scan does", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var started = await _http.PostAsJsonAsync("/api/scans", new { target = "npm:@sweep/*@all", registry = _registry.Url });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        long id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        JsonElement sweep = default;
        Eventually.True(() =>
        {
            sweep = JsonDocument.Parse(_http.GetStringAsync($"/api/scans/{id}").GetAwaiter().GetResult()).RootElement.Clone();
            return sweep.GetProperty("status").GetString() != "running";
        }, TimeSpan.FromSeconds(90), () => $"sweep: {sweep}; log:\n{worker.Log}");
        Assert.Equal("done", sweep.GetProperty("status").GetString());
        Assert.Equal("npm:@sweep/*@all", sweep.GetProperty("target").GetString());
        Assert.Equal(3, sweep.GetProperty("scans").GetInt64());
        Assert.Equal(2, sweep.GetProperty("newFindings").GetInt64());

        // Recorded under the sweep's target and alerted like a watched target's findings.
        Eventually.True(() => File.Exists(_alertFile) && File.ReadAllLines(_alertFile).Length >= 2, TimeSpan.FromSeconds(30), () => worker.Log);
        var findings = JsonDocument.Parse(await _http.GetStringAsync("/api/findings?target=" + Uri.EscapeDataString("npm:@sweep/*@all")))
            .RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["@sweep/a@1.1.0", "@sweep/b@2.0.0"], findings.Select(f => f.GetProperty("location"))
            .Select(l => $"{l.GetProperty("package").GetString()}@{l.GetProperty("version").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(id, f.GetProperty("details").GetProperty("sweep").GetInt64()));
        // The grain logs its end after recording it (and unregistering its reminder), so the line may trail the status.
        worker.WaitForLog($"sweep {id}: npm:@sweep/*@all: done: 3 scans, 2 new findings", TimeSpan.FromSeconds(30));
        using var unknown = await _http.GetAsync("/api/scans/999");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A remote's credentials are never shown: not in the sweep, its error or the log.
        using var remote = await _http.PostAsJsonAsync("/api/scans", new { target = "git:https://ci:s3cr3t-t0ken@127.0.0.1:9/acme/api.git" });
        Assert.Equal(HttpStatusCode.Accepted, remote.StatusCode);
        long remoteId = JsonDocument.Parse(await remote.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        string seen = "";
        Eventually.True(() => (seen = _http.GetStringAsync($"/api/scans/{remoteId}").GetAwaiter().GetResult()).Contains("\"failed\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => $"sweep: {seen}; log:\n{worker.Log}");
        Assert.DoesNotContain("s3cr3t-t0ken", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-t0ken", worker.Log, StringComparison.Ordinal);
    }
}
