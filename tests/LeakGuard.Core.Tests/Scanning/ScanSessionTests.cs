using System.Text;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Suppression;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

public sealed class ScanSessionTests : IDisposable
{
    private readonly string _dir = CoreTestKit.TempDirectory();
    private readonly string _rules;

    public ScanSessionTests()
    {
        _rules = Path.Join(_dir, "rules.yaml");
        File.WriteAllText(_rules, CoreTestKit.RulesYaml);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ScanSettings Settings => new() { Engine = EngineKind.Managed, BuiltInRules = false, ExtraRules = [_rules], CacheDirectory = _dir };

    private static SourceItem Item(string path, string text) =>
        SourceItem.InMemory(new Blob { Path = path, Content = Encoding.UTF8.GetBytes(text) });

    [Fact]
    public void The_settings_name_the_rules_and_the_engine()
    {
        using var session = ScanSession.Open(Settings);

        var (result, notes) = session.Scan([Item("a.js", $"t = \"{CoreTestKit.GitHubToken}\"")]);

        Assert.Equal("managed", session.Engine.Name);
        Assert.Equal(4, session.Rules.All.Count);
        Assert.Equal("test.github", Assert.Single(result.Findings).RuleId);
        Assert.Empty(notes);
    }

    [Fact]
    public void A_missing_rule_file_is_a_usage_error_naming_it()
    {
        var error = Assert.Throws<UsageException>(() => ScanSession.Open(Settings with { ExtraRules = [Path.Join(_dir, "nope.yaml")] }));

        Assert.Contains("nope.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_ignore_file_in_the_named_folders_suppresses_and_the_notes_say_so()
    {
        using var unsuppressed = ScanSession.Open(Settings);
        var finding = Assert.Single(unsuppressed.Scan([Item("a.js", $"t = \"{CoreTestKit.GitHubToken}\"")]).Result.Findings);
        string empty = Directory.CreateDirectory(Path.Join(_dir, "empty")).FullName;
        string withFile = Directory.CreateDirectory(Path.Join(_dir, "tree")).FullName;
        File.WriteAllText(Path.Join(withFile, IgnoreFile.DefaultName), $"{finding.Fingerprint} # test token\n");

        using var session = ScanSession.Open(Settings with { IgnoreFileFolders = [empty, withFile] });
        var (result, notes) = session.Scan([Item("a.js", $"t = \"{CoreTestKit.GitHubToken}\"")]);

        Assert.Empty(result.Findings);
        Assert.Equal(["suppressed 1 by ignore file, 0 by baseline"], notes);
    }

    [Fact]
    public void The_observer_sees_every_file_and_archive_member()
    {
        string folder = Directory.CreateDirectory(Path.Join(_dir, "zipped")).FullName;
        File.WriteAllText(Path.Join(folder, "inner.txt"), "hello\n");
        CoreTestKit.Run(folder, "zip", "-q", "release.zip", "inner.txt");
        var inventory = new FileInventory();
        using var session = ScanSession.Open(Settings);

        session.Scan([
            new SourceItem { Path = "release.zip", Open = () => File.OpenRead(Path.Join(folder, "release.zip")) },
            Item("loose.txt", "text\n")], inventory);

        Assert.Equal(["loose.txt", "release.zip!inner.txt"], inventory.Files().Select(f => f.Path));
    }

    private static SourceItem Committed(string path, string text, string commit, DateTimeOffset date, string repository = "repo") => new()
    {
        Path = path,
        Open = () => new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false),
        Origin = new BlobOrigin
        {
            Commit = commit,
            Date = date,
            Details = new Dictionary<string, object?> { ["repository"] = repository },
        },
    };

    [Fact]
    public void A_secret_a_history_carries_through_later_commits_is_one_finding_of_the_commit_that_added_it()
    {
        string token = CoreTestKit.GitHubToken;
        // History order is the order commits first appear; dates can run backwards after a rebase.
        var start = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero);
        using var session = ScanSession.Open(Settings with { Limits = new ScanOptions { Threads = 2 } });

        var (result, _) = session.Scan([
            Committed("config.env", $"T={token}\nA=0\n", "c1", start),
            Committed("config.env", $"T={token}\nA=1\n", "c2", start.AddDays(-1)),
            Committed("other.env", $"T={token}\n", "c2", start.AddDays(-1)),
            Committed("config.env", $"A=2\nT={token}\n", "c3", start.AddDays(-2)),
            Committed("config.env", $"T={token}\nA=3\n", "c4", start.AddDays(1)),
            Committed("config.env", $"T={token}\nA=3\n\n", "c5", start.AddDays(2), repository: "fork"),
        ]);

        Assert.Equal(
            [("config.env", "c1", 3), ("config.env", "c5", 0), ("other.env", "c2", 0)],
            result.Findings.Select(f => (f.Location.Path, f.Location.Commit, (int?)f.Details.GetValueOrDefault("laterCommits") ?? 0)));
        var first = result.Findings[0];
        Assert.Equal(["c2", "c3", "c4"], (string[])first.Details["laterCommitIds"]!);
        Assert.Equal(1, first.Location.Line);
        Assert.Equal("repo", first.Details["repository"]);
    }

    [Fact]
    public void Findings_without_a_commit_are_left_as_they_are()
    {
        string token = CoreTestKit.GitHubToken;
        using var session = ScanSession.Open(Settings);

        var (result, _) = session.Scan([Item("a.env", $"T={token}\nT={token}\n"), Item("b/a.env", $"T={token}\n")]);

        // Each line of one input that holds it is a finding; another file is another finding.
        Assert.Equal([("a.env", 1), ("a.env", 2), ("b/a.env", 1)], result.Findings.Select(f => (f.Location.Path, f.Location.Line ?? 0)));
        Assert.All(result.Findings, f => Assert.False(f.Details.ContainsKey("laterCommits")));
    }
}
