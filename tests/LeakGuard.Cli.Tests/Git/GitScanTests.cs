using System.Text.Json;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests.Git;

public sealed class GitScanTests : IDisposable
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string OtherToken = "ghp_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";


    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;
    private readonly string _cache;
    private GitDaemon? _daemon;

    public GitScanTests()
    {
        _rules = Path.Join(_dir, "rules.yaml");
        File.WriteAllText(_rules, TestRules.GitHub);
        _cache = Path.Join(_dir, "git-cache");
    }

    private GitDaemon Daemon => _daemon ??= new GitDaemon();

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, "--no-progress", "--git-cache", _cache, .. args]);

    private (CliRunner.Outcome Run, JsonElement Report) ScanJson(params string[] args)
    {
        string report = Path.Join(_dir, $"report-{Guid.NewGuid():N}.json");
        var run = Scan([.. args, "--format", "json", "--output", report]);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return (run, doc.RootElement.Clone());
    }

    private static List<JsonElement> Findings(JsonElement report) => [.. report.GetProperty("findings").EnumerateArray()];

    private static long Blobs(JsonElement report) => report.GetProperty("stats").GetProperty("blobs").GetInt64();

    [Fact]
    public void Scanning_a_local_repository_reports_a_deleted_secret_with_its_commit_author_and_path()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write("README.md", "hello\n").Commit("start");
        string leaked = repo.Write("deploy/secrets.env", $"TOKEN={Token}\n").Commit("add deploy config", "Grace Hopper", "grace@example.com");
        repo.Delete("deploy/secrets.env").Commit("remove secrets");

        var (run, report) = ScanJson("git:" + repo.Path);

        Assert.Equal(1, run.ExitCode);
        var finding = Assert.Single(Findings(report));
        var location = finding.GetProperty("location");
        Assert.Equal("deploy/secrets.env", location.GetProperty("path").GetString());
        Assert.Equal(leaked, location.GetProperty("commit").GetString());
        Assert.Equal("Grace Hopper <grace@example.com>", location.GetProperty("author").GetString());
        Assert.StartsWith("2023-11-14T22:", location.GetProperty("date").GetString(), StringComparison.Ordinal);
        Assert.Equal(repo.Path, finding.GetProperty("details").GetProperty("repository").GetString());
        Assert.Equal("add deploy config", finding.GetProperty("details").GetProperty("message").GetString());
    }

    [Fact]
    public void A_secret_that_stays_in_a_file_is_one_finding_from_the_commit_that_added_it()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write("README.md", "hello\n").Commit("start");
        string added = repo.Write("config.env", $"TOKEN={Token}\nDEBUG=0\n").Commit("add config");
        var later = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            later.Add(repo.Write("config.env", $"TOKEN={Token}\nDEBUG={i}\n").Commit($"debug level {i}"));
        }
        string copied = repo.Write("copy.env", $"TOKEN={Token}\n").Commit("copy it");

        var (run, report) = ScanJson("git:" + repo.Path);

        Assert.Equal(1, run.ExitCode);
        var findings = Findings(report);
        Assert.Equal(["config.env", "copy.env"], findings.Select(f => f.GetProperty("location").GetProperty("path").GetString()));
        var config = findings[0];
        Assert.Equal(added, config.GetProperty("location").GetProperty("commit").GetString());
        Assert.Equal("add config", config.GetProperty("details").GetProperty("message").GetString());
        Assert.Equal(3, config.GetProperty("details").GetProperty("laterCommits").GetInt32());
        Assert.Equal(later, config.GetProperty("details").GetProperty("laterCommitIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(copied, findings[1].GetProperty("location").GetProperty("commit").GetString());
        Assert.False(findings[1].GetProperty("details").TryGetProperty("laterCommits", out _));
    }

    [Fact]
    public void A_remote_is_mirrored_and_a_rescan_scans_only_blobs_not_scanned_before()
    {
        string url = Daemon.CreateRepository("api.git");
        var work = new TestRepository(Path.Join(_dir, "work"));
        work.Write("README.md", "api\n").Write("config.env", $"TOKEN={Token}\n").Commit("first");
        work.Git("push", "-q", url, "main");

        var (first, firstReport) = ScanJson("git:" + url);
        Assert.Equal(1, first.ExitCode);
        Assert.Equal(2, Blobs(firstReport));
        Assert.Equal(url, Assert.Single(Findings(firstReport)).GetProperty("details").GetProperty("repository").GetString());

        string second = work.Write("more.env", $"TOKEN={OtherToken}\n").Commit("second");
        work.Git("push", "-q", url, "main");

        var (rescan, rescanReport) = ScanJson("git:" + url);
        Assert.Equal(1, rescan.ExitCode);
        Assert.Equal(1, Blobs(rescanReport));
        var finding = Assert.Single(Findings(rescanReport));
        Assert.Equal("more.env", finding.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(second, finding.GetProperty("location").GetProperty("commit").GetString());

        var (unchanged, unchangedReport) = ScanJson("git:" + url);
        Assert.Equal(0, unchanged.ExitCode);
        Assert.Equal(0, Blobs(unchangedReport));
    }

    [Fact]
    public void Branch_limits_a_remote_scan_to_that_branch()
    {
        string url = Daemon.CreateRepository("branches.git");
        var work = new TestRepository(Path.Join(_dir, "work"));
        work.Write("README.md", "main\n").Commit("main");
        work.Git("checkout", "-q", "-b", "feature");
        work.Write("feature.env", $"TOKEN={Token}\n").Commit("feature");
        work.Git("push", "-q", url, "main", "feature");

        var (mainOnly, mainReport) = ScanJson("git:" + url, "--branch", "main");

        Assert.Equal(0, mainOnly.ExitCode);
        Assert.Empty(Findings(mainReport));
        Assert.Equal(1, Blobs(mainReport)); // main's README: the branch was walked, not skipped

        // Control: the same remote with the branch that holds the token finds it. (After the
        // main-only scan: the blobs it scanned are remembered and not scanned again.)
        var (featureOnly, featureReport) = ScanJson("git:" + url, "--branch", "feature");
        Assert.Equal(1, featureOnly.ExitCode);
        Assert.Equal("feature.env", Assert.Single(Findings(featureReport)).GetProperty("location").GetProperty("path").GetString());
    }

    [Fact]
    public void An_unreachable_remote_is_one_line_naming_it_and_exit_code_2()
    {
        string url = $"git://127.0.0.1:{GitDaemon.FreePort()}/nothing.git";

        var run = Scan("git:" + url);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(url, line);
        Assert.Contains("could not clone", line);
    }

    [Fact]
    public void Credentials_in_a_remote_url_never_appear_in_messages()
    {
        var run = Scan($"git:http://someone:hunter2-password@127.0.0.1:{GitDaemon.FreePort()}/repo.git");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout);
        Assert.Contains("127.0.0.1", run.Stderr);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public void A_password_holding_an_at_sign_appears_neither_in_messages_nor_in_the_cache_folder(string scheme)
    {
        var run = Scan($"git:{scheme}://someone:hunter2@pass-word@127.0.0.1:{GitDaemon.FreePort()}/repo.git");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("127.0.0.1", run.Stderr);
        foreach (string part in new[] { "someone", "hunter2", "pass-word" })
        {
            Assert.DoesNotContain(part, run.Stderr + run.Stdout);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_cache, "*", SearchOption.AllDirectories),
                path => path.Contains(part, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Credentials_git_quotes_outside_a_url_never_appear_in_messages()
    {
        var run = Scan($"git:git://someone:hunter2-password@127.0.0.1:{GitDaemon.FreePort()}/repo.git");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout);
    }

    [Fact]
    public void A_missing_branch_is_one_line_naming_it()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write("a.txt", "a\n").Commit("a");

        var run = Scan("git:" + repo.Path, "--branch", "no-such-branch");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no-such-branch", Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Staged_scans_only_what_the_index_adds_and_exits_1_on_findings()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write("old.env", $"TOKEN={Token}\n").Commit("an old secret, already in history");
        repo.Write("new.env", $"TOKEN={OtherToken}\n").Write("notes.txt", "fine\n");
        repo.Git("add", "new.env", "notes.txt");
        repo.Write("unstaged.env", $"TOKEN={OtherToken}\n");
        string report = Path.Join(_dir, "staged.json");

        var run = CliRunner.Run("git", "--staged", "--repo", repo.Path, "--no-builtin-rules", "--rules", _rules, "--no-progress",
            "--format", "json", "--output", report);

        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(2, Blobs(doc.RootElement));
        Assert.Equal("new.env", Assert.Single(Findings(doc.RootElement)).GetProperty("location").GetProperty("path").GetString());
    }

    [Fact]
    public void Staged_is_clean_when_nothing_new_is_staged()
    {
        // Long enough that changing one line keeps it a rename for git (similarity over 50 %).
        string settings = string.Concat(Enumerable.Range(1, 20).Select(i => $"SETTING_{i}=value-{i}\n"));
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write("old.env", $"{settings}TOKEN={Token}\n").Commit("an old secret, already in history");
        repo.Git("mv", "old.env", "renamed.env");
        string[] staged = ["git", "--staged", "--repo", repo.Path, "--no-builtin-rules", "--rules", _rules, "--no-progress", "--format", "json"];

        var run = CliRunner.Run([.. staged, "--output", Path.Join(_dir, "renamed.json")]);

        Assert.Equal(0, run.ExitCode);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Join(_dir, "renamed.json"))))
        {
            Assert.Equal(0, Blobs(doc.RootElement));
        }

        // Control: the same rename with a changed line holding a new token is content the index
        // adds, and is found; so the clean result above is the rename adding nothing.
        repo.Write("renamed.env", $"{settings}TOKEN={OtherToken}\n");
        repo.Git("add", "renamed.env");
        Assert.Contains("R  old.env -> renamed.env", repo.Git("status", "--short"), StringComparison.Ordinal);
        var changed = CliRunner.Run([.. staged, "--output", Path.Join(_dir, "changed.json")]);
        Assert.Equal(1, changed.ExitCode);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Join(_dir, "changed.json"))))
        {
            Assert.Equal("renamed.env", Assert.Single(Findings(doc.RootElement)).GetProperty("location").GetProperty("path").GetString());
        }
    }

    public void Dispose() => _daemon?.Dispose();
}
