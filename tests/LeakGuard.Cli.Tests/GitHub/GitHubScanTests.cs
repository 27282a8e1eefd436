using System.Text.Json;
using LeakGuard.Cli.Tests.Git;
using LeakGuard.Tests.Git;
using LeakGuard.Tests.GitHub;

namespace LeakGuard.Cli.Tests.GitHub;

public sealed class GitHubScanTests : IDisposable
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";


    private readonly string _dir = CliRunner.TempDirectory();
    private readonly GitDaemon _daemon = new();
    private readonly FakeGitHubApi _api = new();

    private string Push(string name, string file, string text)
    {
        string url = _daemon.CreateRepository(name);
        var work = new TestRepository(Path.Join(_dir, "work-" + name));
        work.Write(file, text).Commit("initial");
        work.Git("push", "-q", url, "main");
        return url;
    }

    [Fact]
    public void Every_repository_of_an_organisation_is_scanned_and_findings_name_their_repository()
    {
        string api = Push("api.git", "config.env", $"TOKEN={Token}\n");
        string web = Push("web.git", "index.html", "<p>hello</p>\n");
        string fork = Push("fork.git", "leak.env", $"TOKEN={Token}\n");
        string gone = $"git://127.0.0.1:{GitDaemon.FreePort()}/gone.git";
        _api.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(null,
            FakeGitHubApi.Repository(1, "acme/api", api),
            FakeGitHubApi.Repository(2, "acme/web", web),
            FakeGitHubApi.Repository(3, "acme/fork", fork, fork: true),
            FakeGitHubApi.Repository(4, "acme/gone", gone)));
        TestRules.WriteTo(_dir, TestRules.GitHub);
        string report = Path.Join(_dir, "report.json");

        var run = CliRunner.Run("scan", "github:acme", "--github-api-url", _api.ApiRoot.ToString(),
            "--git-cache", Path.Join(_dir, "cache"), "--no-builtin-rules", "--rules", Path.Join(_dir, "rules.yaml"),
            "--no-progress", "--format", "json", "--output", report);

        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var finding = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(api, finding.GetProperty("details").GetProperty("repository").GetString());
        Assert.Equal("config.env", finding.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("stats").GetProperty("blobs").GetInt64());
        var warning = Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Equal("github:acme/gone", warning.GetProperty("path").GetString());
        Assert.Contains(gone, warning.GetProperty("message").GetString());
    }

    [Fact]
    public void An_unknown_organisation_is_one_line_and_exit_code_2()
    {
        var run = CliRunner.Run("scan", "github:nobody", "--github-api-url", _api.ApiRoot.ToString(), "--no-progress");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("github:nobody", Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("ftp://ghe.example.com/api/v3")]
    [InlineData("not a url")]
    public void An_api_url_that_is_not_http_is_a_usage_error(string url)
    {
        var run = CliRunner.Run("scan", "github:acme", "--github-api-url", url, "--no-progress");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--github-api-url", run.Stderr);
        Assert.Contains("is not an http(s) URL", run.Stderr);
    }

    public void Dispose()
    {
        _api.Dispose();
        _daemon.Dispose();
    }
}
