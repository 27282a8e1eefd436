using System.Text.Json;
using LeakGuard.Cli.Tests.Git;
using LeakGuard.Storage;
using LeakGuard.Tests.Git;
using LeakGuard.Tests.GitHub;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary><c>leakguard watch</c> on a git remote served by a real <c>git daemon</c>.</summary>
public sealed class WatchGitTests : IDisposable
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string OtherToken = "ghp_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private readonly GitDaemon _daemon = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly FakeGitHubApi _github = new();
    private WatchProcess? _worker;

    private string WriteConfig(string target)
    {
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: sqlite:{Path.Join(_dir, "leakguard.db")}
            targets:
              - {target}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
        return config;
    }

    private string Store => $"sqlite:{Path.Join(_dir, "leakguard.db")}";

    private List<JsonElement> Alerts() =>
        [.. _receiver.Bodies.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("finding").Clone())];

    [Fact]
    public async Task Each_pushed_secret_alerts_once_naming_repository_and_commit()
    {
        string url = _daemon.CreateRepository("api.git");
        var work = new TestRepository(Path.Join(_dir, "work"));
        string first = work.Write("README.md", "api\n").Write("config.env", $"TOKEN={Token}\n").Commit("first");
        work.Git("push", "-q", url, "main");
        string config = WriteConfig($"git: {url}");

        var worker = _worker = new WatchProcess(config, _dir);
        Eventually.True(() => Alerts().Count > 0, AlertWait, () => $"no alert for the first commit; log:\n{worker.Log}");
        var location = Assert.Single(Alerts()).GetProperty("location");
        Assert.Equal(url, location.GetProperty("repository").GetString());
        Assert.Equal(first, location.GetProperty("commit").GetString());

        string second = work.Write("more.env", $"TOKEN={OtherToken}\n").Commit("second");
        work.Git("push", "-q", url, "main");
        Eventually.True(() => Alerts().Count > 1, AlertWait, () => $"no alert for the second commit; log:\n{worker.Log}");
        Assert.Equal(second, Alerts()[1].GetProperty("location").GetProperty("commit").GetString());

        worker.Kill();
        var restarted = DateTimeOffset.UtcNow;
        worker = _worker = new WatchProcess(config, _dir);
        // A whole poll by the new process, and whatever it raised delivered: a duplicate would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, restarted, AlertWait);
        Assert.Equal(2, _receiver.Bodies.Count);
        worker.Kill();

        // The store knows where each ref was when it was last scanned, and which blobs were.
        await using (var store = await StoreFactory.OpenAsync(Store))
        {
            Assert.Equal(second, (await store.GetLastCommitsAsync($"git:{url}"))["refs/heads/main"]);
            string[] blobs = [work.Git("rev-parse", "HEAD:config.env").Trim(), work.Git("rev-parse", "HEAD:more.env").Trim()];
            Assert.Equal(blobs.Order(), (await store.GetScannedBlobsAsync($"git:{url}", blobs)).Order());
        }

        // A worker whose mirror cache is gone fetches and walks the history again, but scans none of it again.
        Directory.Delete(Path.Join(_dir, "git-cache"), recursive: true);
        worker = _worker = new WatchProcess(config, _dir);
        worker.WaitForLog("scanned new commits:", AlertWait);
        string firstScan = worker.Log.Split('\n').First(line => line.Contains("scanned new commits:", StringComparison.Ordinal));
        Assert.Contains("scanned new commits: 0 blobs", firstScan, StringComparison.Ordinal);
        Assert.Equal(2, _receiver.Bodies.Count);
    }

    [Fact]
    public void A_github_organisation_is_watched_and_a_repository_created_later_is_scanned_too()
    {
        string api = Push("api.git", $"TOKEN={Token}\n");
        _github.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(null, FakeGitHubApi.Repository(1, "acme/api", api)));
        string config = WriteConfig($"github: acme\n    api-url: {_github.ApiRoot}");

        var worker = _worker = new WatchProcess(config, _dir);
        Eventually.True(() => Alerts().Count > 0, AlertWait, () => $"no alert for acme/api; log:\n{worker.Log}");
        Assert.Equal(api, Assert.Single(Alerts()).GetProperty("location").GetProperty("repository").GetString());

        string later = Push("later.git", $"TOKEN={OtherToken}\n");
        _github.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(null,
            FakeGitHubApi.Repository(1, "acme/api", api), FakeGitHubApi.Repository(2, "acme/later", later)));
        Eventually.True(() => Alerts().Count > 1, AlertWait, () => $"no alert for acme/later; log:\n{worker.Log}");
        // A whole poll after that alert, and whatever it raised delivered: a duplicate would be here now.
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, DateTimeOffset.UtcNow, AlertWait);

        Assert.Equal([api, later], Alerts().Select(a => a.GetProperty("location").GetProperty("repository").GetString()));
        Assert.All(Alerts(), a => Assert.Null(a.GetProperty("location").GetProperty("package").GetString()));
    }

    private string Push(string name, string config)
    {
        string url = _daemon.CreateRepository(name);
        var work = new TestRepository(Path.Join(_dir, "work-" + name));
        work.Write("config.env", config).Commit("initial");
        work.Git("push", "-q", url, "main");
        return url;
    }

    public void Dispose()
    {
        _github.Dispose();
        _worker?.Dispose();
        _receiver.Dispose();
        _daemon.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
