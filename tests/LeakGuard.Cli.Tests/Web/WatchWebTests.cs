using System.Text.Json;
using LeakGuard.Cli.Tests.Watch;

namespace LeakGuard.Cli.Tests.Web;

/// <summary>
/// <c>leakguard watch</c> on a <c>web:</c> target (a Kestrel site serving an esbuild build): a
/// redeploy that starts serving a map alerts once, naming the map and how many files it embeds;
/// a redeploy without one raises nothing.
/// </summary>
public sealed class WatchWebTests : IDisposable
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(90);

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly WebhookReceiver _receiver = new();
    private readonly TestSite _site = new();
    private WatchProcess? _worker;

    /// <summary>Replaces the page: the site now loads these scripts (and serves whatever files were added).</summary>
    private void DeployPage(params string[] scripts) =>
        _site.Add("/", "<!doctype html><html><head>" + string.Concat(scripts.Select(s => $"<script src=\"/{s}\"></script>")) + "</head></html>", "text/html");

    private void Serve(string deployedAs, string built) =>
        _site.Add("/" + deployedAs, File.ReadAllBytes(Path.Join(SiteBuild.Output, built)), deployedAs.EndsWith(".map", StringComparison.Ordinal) ? "application/json" : "application/javascript");

    /// <summary>Starts watching the site (first deploy: one script, no map) and waits for its first poll.</summary>
    private (WatchProcess Worker, int ApiPort, string Store) WatchFirstDeploy(string targetKeys = "", string alertKeys = "")
    {
        Serve("assets/widget.5d1e.js", "assets/widget.5d1e.js");
        DeployPage("assets/widget.5d1e.js");
        string config = Path.Join(_dir, "leakguard.yaml");
        string store = $"sqlite:{Path.Join(_dir, "leakguard.db")}";
        int apiPort = WebhookReceiver.FreePort();
        File.WriteAllText(config, $"""
            store: {store}
            targets:
              - web: {_site.Url}
                every: 1s{targetKeys}
            alerts:
              - webhook: {_receiver.Url}{alertKeys}
            api:
              listen: 127.0.0.1:{apiPort}
            """);
        var worker = _worker = new WatchProcess(config, _dir);
        worker.WaitForLog($"scanned web:{_site.Url}", AlertWait);
        PollEvidence.WaitForPollAndDelivery(worker, apiPort, store, DateTimeOffset.UtcNow, AlertWait);
        Assert.Empty(_receiver.Bodies);
        return (worker, apiPort, store);
    }

    /// <summary>Redeploys with a new chunk and its map, and returns the one alert it raised.</summary>
    private (string Body, JsonElement Finding) DeployWithMap(WatchProcess worker)
    {
        Serve("static/js/admin.9c1b.js", "static/js/admin.9c1b.js");
        Serve("static/js/admin.9c1b.js.map", "static/js/admin.9c1b.js.map");
        DeployPage("assets/widget.5d1e.js", "static/js/admin.9c1b.js");
        Eventually.True(() => _receiver.Bodies.Count > 0, AlertWait, () => $"no alert; log:\n{worker.Log}");
        string body = Assert.Single(_receiver.Bodies);
        return (body, JsonDocument.Parse(body).RootElement.GetProperty("finding"));
    }

    [Fact]
    public void A_deploy_that_serves_a_map_alerts_once_and_one_without_raises_nothing()
    {
        var (worker, apiPort, store) = WatchFirstDeploy();

        var (body, finding) = DeployWithMap(worker);
        Assert.Equal("leakguard.source-map-sources", finding.GetProperty("ruleId").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal($"web:{_site.Url}!static/js/admin.9c1b.js.map", finding.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(1, finding.GetProperty("details").GetProperty("embeddedSources").GetInt32());
        Assert.Matches(@"adds static/js/admin\.9c1b\.js \(\d+ B\), static/js/admin\.9c1b\.js\.map \(\d+ B, 1 embedded file\)", body);

        // Redeploy without a map: new asset names, nothing exposed.
        _site.Remove("/static/js/admin.9c1b.js.map");
        Serve("static/js/admin.4e4e.js", "static/js/admin.9c1b.js");
        DeployPage("assets/widget.5d1e.js", "static/js/admin.4e4e.js");
        worker.WaitForLog("adds static/js/admin.4e4e.js", AlertWait);
        PollEvidence.WaitForPollAndDelivery(worker, apiPort, store, DateTimeOffset.UtcNow, AlertWait);
        Assert.Single(_receiver.Bodies);
    }

    [Fact]
    public void A_site_declared_open_source_alerts_its_new_map_as_low()
    {
        var (worker, _, _) = WatchFirstDeploy("\n    open-source: true", "\n    min-severity: low");

        var (_, finding) = DeployWithMap(worker);

        Assert.Equal("leakguard.source-map-sources", finding.GetProperty("ruleId").GetString());
        Assert.Equal("low", finding.GetProperty("severity").GetString());
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        _site.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
