using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;

namespace LeakGuard.Sources.Tests.Git;

public class GitHistorySourceTests
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string OtherToken = "ghp_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";

    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-git-tests-").FullName;
    private readonly List<(string Path, string Message)> _warnings = [];
    private readonly TestRepository _repo;

    public GitHistorySourceTests() => _repo = new TestRepository(Path.Join(_root, "repo"));

    private List<SourceItem> Items(GitHistoryOptions? options = null, string? path = null)
    {
        using var source = GitHistorySource.Open(path ?? _repo.Path, options ?? new GitHistoryOptions(), (p, m) => _warnings.Add((p, m)));
        var items = source.Enumerate().ToList();
        // Read everything while the repository is open, as the scanner does.
        return [.. items.Select(i => new SourceItem { Path = i.Path, Length = i.Length, Origin = i.Origin, Open = Snapshot(i) })];
    }

    private static Func<Stream> Snapshot(SourceItem item)
    {
        using var stream = item.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] bytes = copy.ToArray();
        return () => new MemoryStream(bytes, writable: false);
    }

    private static string Text(SourceItem item)
    {
        using var reader = new StreamReader(item.Open());
        return reader.ReadToEnd();
    }

    private ScanResult Scan(GitHistoryOptions? options = null)
    {
        using var source = GitHistorySource.Open(_repo.Path, options ?? new GitHistoryOptions(), (p, m) => _warnings.Add((p, m)));
        return TokenScan.Run(source.Enumerate(), new ScanOptions { Threads = 2 });
    }

    [Fact]
    public void Each_distinct_blob_is_offered_once_however_many_commits_and_paths_carry_it()
    {
        for (int i = 0; i < 5; i++)
        {
            _repo.Write($"copies/{i}.env", $"TOKEN={Token}\n");
        }
        _repo.Write("README.md", "one\n").Commit("first");
        _repo.Write("README.md", "two\n").Write("more/copy.env", $"TOKEN={Token}\n").Commit("second");
        _repo.Write("README.md", "three\n").Commit("third");

        var items = Items();

        Assert.Equal(4, items.Count);
        var secret = Assert.Single(items, i => Text(i) == $"TOKEN={Token}\n");
        Assert.Equal("copies/0.env", secret.Path);
        Assert.Equal(1, secret.Origin!.Details!["otherCommits"]);
        Assert.Equal(5, secret.Origin.Details["otherPaths"]);
        // Newest first, the order git reads a packed history fastest in.
        Assert.Equal(["three\n", "two\n", "one\n"], items.Where(i => i.Path == "README.md").Select(Text));
    }

    [Fact]
    public void Across_many_commits_branches_and_merges_the_blobs_offered_are_exactly_those_git_holds()
    {
        _repo.Write("README.md", "start\n").Commit("start");
        for (int i = 0; i < 60; i++)
        {
            if (i % 20 == 0)
            {
                _repo.Git("checkout", "-q", "-B", $"line{i / 20}", "main");
            }
            _repo.Write($"src/file{i % 7}.txt", $"revision {i}\n").Write("shared.env", $"TOKEN={Token}\n").Commit($"change {i}");
            if (i % 20 == 19)
            {
                _repo.Git("checkout", "-q", "main");
                _repo.Git("merge", "-q", "--no-ff", "-m", $"merge line{i / 20}", $"line{i / 20}");
            }
        }
        var gitBlobs = _repo.Git("rev-list", "--objects", "--all", "--filter=object:type=blob", "--filter-provided-objects")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .ToHashSet();

        var offered = Items().Select(i => (string)i.Origin!.Details!["blob"]!).ToList();

        Assert.Equal(offered.Count, offered.Distinct().Count());
        Assert.Equal(gitBlobs.Order(), offered.Order());
    }

    [Fact]
    public void A_blob_is_attributed_to_the_earliest_commit_author_and_path_that_introduced_it()
    {
        _repo.Write("a.txt", "unrelated\n").Commit("start");
        string introducing = _repo.Write("config/app.env", $"TOKEN={Token}\n").Commit("Add config\n\nlonger body", "Grace Hopper", "grace@example.com");
        _repo.Write("config/copy.env", $"TOKEN={Token}\n").Commit("copy it", "Someone Else", "else@example.com");

        var secret = Assert.Single(Items(), i => i.Path == "config/app.env");

        Assert.Equal(introducing, secret.Origin!.Commit);
        Assert.Equal("Grace Hopper <grace@example.com>", secret.Origin.Author);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + 120), secret.Origin.Date);
        Assert.Equal("Add config", secret.Origin.Details!["message"]);
        Assert.Equal(_repo.Path, secret.Origin.Details["repository"]);
        Assert.Equal(1, secret.Origin.Details["otherCommits"]);
        Assert.Equal(1, secret.Origin.Details["otherPaths"]);
    }

    [Fact]
    public void A_secret_added_and_later_deleted_is_found_in_history()
    {
        _repo.Write("keep.txt", "hello\n").Commit("start");
        string leaked = _repo.Write("secrets.env", $"TOKEN={Token}\n").Commit("oops");
        _repo.Delete("secrets.env").Commit("remove the secret");

        var result = Scan();

        var finding = Assert.Single(result.Findings);
        Assert.Equal("secrets.env", finding.Location.Path);
        Assert.Equal(leaked, finding.Location.Commit);
        Assert.Equal("Ada Lovelace <ada@example.com>", finding.Location.Author);
        Assert.Equal("oops", finding.Details["message"]);
    }

    [Fact]
    public void Every_branch_and_tag_is_walked_by_default_and_branch_narrows_it()
    {
        _repo.Write("main.txt", "main\n").Commit("on main");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("feature.env", $"TOKEN={Token}\n").Commit("on feature");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("checkout", "-q", "-b", "tagged");
        _repo.Write("tagged.env", $"TOKEN={OtherToken}\n").Commit("only tagged");
        _repo.Git("tag", "-a", "v1", "-m", "release");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("branch", "-q", "-D", "tagged");

        Assert.Equal(["feature.env", "main.txt", "tagged.env"], Items().Select(i => i.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["main.txt"], Items(new GitHistoryOptions { Refs = ["main"] }).Select(i => i.Path));
        Assert.Equal(["main.txt", "tagged.env"], Items(new GitHistoryOptions { Refs = ["v1"] }).Select(i => i.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Merges_and_renames_do_not_offer_a_blob_again()
    {
        _repo.Write("old/name.env", $"TOKEN={Token}\n").Commit("add");
        _repo.Git("checkout", "-q", "-b", "side");
        _repo.Write("side.txt", "side\n").Commit("side work");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("mv", "old", "new");
        _repo.Commit("rename");
        _repo.Git("merge", "-q", "--no-ff", "-m", "merge side", "side");

        var items = Items();

        Assert.Equal(["old/name.env", "side.txt"], items.Select(i => i.Path).Order(StringComparer.Ordinal));
        var secret = items.Single(i => i.Path == "old/name.env");
        Assert.Equal(1, secret.Origin!.Details!["otherPaths"]);
        Assert.Equal(1, secret.Origin.Details["otherCommits"]);
    }

    [Fact]
    public void Since_commit_leaves_out_what_it_and_its_ancestors_introduced()
    {
        _repo.Write("before.env", $"TOKEN={Token}\n").Commit("before");
        string boundary = _repo.Write("boundary.txt", "b\n").Commit("boundary");
        _repo.Write("after.env", $"TOKEN={OtherToken}\n").Commit("after");

        Assert.Equal(["after.env"], Items(new GitHistoryOptions { SinceCommit = boundary[..7] }).Select(i => i.Path));
    }

    [Fact]
    public void Commits_walked_by_an_earlier_scan_are_not_walked_again_and_vanished_ones_are_ignored()
    {
        string walked = _repo.Write("old.env", $"TOKEN={Token}\n").Commit("old");
        _repo.Write("new.env", $"TOKEN={OtherToken}\n").Commit("new");

        var items = Items(new GitHistoryOptions { AlreadyWalked = new HashSet<string> { walked, new string('0', 40) } });

        Assert.Equal(["new.env"], items.Select(i => i.Path));
    }

    [Fact]
    public void A_blob_larger_than_the_limit_is_skipped_with_a_warning_naming_it()
    {
        _repo.Write("big.bin", new string('x', 4096)).Write("small.txt", "small\n").Commit("add");

        var items = Items(new GitHistoryOptions { MaxBlobSize = 1024 });

        Assert.Equal(["small.txt"], items.Select(i => i.Path));
        var warning = Assert.Single(_warnings);
        Assert.StartsWith("big.bin@", warning.Path, StringComparison.Ordinal);
        Assert.Contains("larger than --max-blob-size", warning.Message);
    }

    [Fact]
    public void A_missing_ref_is_a_warning_naming_it_and_the_other_refs_are_scanned()
    {
        _repo.Write("a.txt", "a\n").Commit("a");

        Assert.Equal(["a.txt"], Items(new GitHistoryOptions { Refs = ["main", "no-such-branch"] }).Select(i => i.Path));
        Assert.Contains("'no-such-branch'", Assert.Single(_warnings).Message);

        var error = Assert.Throws<GitSourceException>(() => Items(new GitHistoryOptions { Refs = ["no-such-branch"] }));
        Assert.Contains("no-such-branch", error.Message);
    }

    [Fact]
    public void A_folder_inside_a_work_tree_names_its_repository()
    {
        _repo.Write("src/app/config.env", $"TOKEN={Token}\n").Commit("add");

        Assert.Equal(["src/app/config.env"], Items(path: Path.Join(_repo.Path, "src", "app")).Select(i => i.Path));
    }

    [Fact]
    public void A_repository_without_commits_is_a_warning_not_an_error()
    {
        Assert.Empty(Items());
        Assert.Contains("no branches or tags", Assert.Single(_warnings).Message);
    }

    [Fact]
    public void A_folder_that_is_not_a_repository_is_one_clear_error()
    {
        string plain = Directory.CreateDirectory(Path.Join(_root, "plain")).FullName;

        var error = Assert.Throws<GitSourceException>(() => Items(path: plain));

        Assert.Contains(plain, error.Message);
        Assert.Contains("not a git repository", error.Message);
    }

    [Fact]
    public void A_shallow_clone_is_scanned_as_far_as_it_goes_with_a_warning()
    {
        _repo.Write("old.env", $"TOKEN={Token}\n").Commit("old");
        _repo.Write("new.txt", "new\n").Commit("new");
        string shallow = Path.Join(_root, "shallow");
        TestRepository.Run(_root, null, "clone", "-q", "--depth", "1", "file://" + _repo.Path, shallow);

        var items = Items(path: shallow);

        Assert.Equal(["new.txt", "old.env"], items.Select(i => i.Path).Order(StringComparer.Ordinal));
        Assert.Contains(_warnings, w => w.Message.Contains("shallow clone"));
    }

    [Fact]
    public void A_corrupt_tree_is_a_warning_naming_its_commit_and_later_commits_are_still_scanned()
    {
        _repo.Write("first.txt", "first\n").Commit("first");
        string broken = _repo.Write("second.txt", "second\n").Commit("second");
        _repo.Write("third.env", $"TOKEN={Token}\n").Commit("third");
        string tree = _repo.Git("rev-parse", $"{broken}^{{tree}}").Trim();
        string objectFile = Path.Join(_repo.Path, ".git", "objects", tree[..2], tree[2..]);
        File.SetAttributes(objectFile, FileAttributes.Normal);
        File.WriteAllBytes(objectFile, [1, 2, 3, 4]);

        var paths = Items().Select(i => i.Path).ToList();

        Assert.Contains("first.txt", paths);
        Assert.Contains("third.env", paths);
        Assert.Contains(_warnings, w => w.Path.EndsWith($"@{broken[..12]}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_corrupt_object_is_a_warning_naming_it_and_the_rest_is_scanned()
    {
        _repo.Write("lost.env", $"TOKEN={OtherToken}\n").Write("kept.env", $"TOKEN={Token}\n").Commit("add");
        string lost = _repo.Git("rev-parse", "HEAD:lost.env").Trim();
        string objectFile = Path.Join(_repo.Path, ".git", "objects", lost[..2], lost[2..]);
        File.SetAttributes(objectFile, FileAttributes.Normal);
        File.WriteAllBytes(objectFile, [1, 2, 3, 4]);

        var result = Scan();

        Assert.Equal("kept.env", Assert.Single(result.Findings).Location.Path);
        var warning = Assert.Single(result.Warnings.Select(w => (w.Path, w.Message)).Concat(_warnings));
        Assert.Contains(lost, warning.Message);
        Assert.StartsWith("lost.env", warning.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_nested_20000_levels_deep_is_walked_to_the_depth_limit_with_one_warning_and_what_is_above_it_is_found()
    {
        const string ThirdToken = "ghp_Cd8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iR";
        string Nested(int levels) => string.Join('/', Enumerable.Repeat("d", levels));
        // Built by git in one process: 20,000 trees, each holding the next (1.4 MB of .git).
        _repo.FastImport(TestRepository.FastImportCommit("main", "deep",
            ("shallow.env", $"TOKEN={Token}\n"),
            ($"{Nested(100)}/mid.env", $"TOKEN={OtherToken}\n"),
            ($"{Nested(20_000)}/deep.env", $"TOKEN={ThirdToken}\n")));

        var result = Scan();

        Assert.Equal([$"{Nested(100)}/mid.env", "shallow.env"], result.Findings.Select(f => f.Location.Path).Order(StringComparer.Ordinal));
        var warning = Assert.Single(_warnings);
        Assert.Contains("trees nested deeper than 4,096 levels are not walked below that depth (1 commit", warning.Message);
        Assert.StartsWith("d/d/d/", warning.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_longer_than_4096_characters_is_shortened_in_the_middle_and_its_secret_is_still_found()
    {
        var folders = Enumerable.Range(0, 300).Select(i => $"folder-{i:D3}-{new string('x', 12)}").ToList();
        string path = string.Join('/', folders) + "/secret.env";
        _repo.FastImport(TestRepository.FastImportCommit("main", "long path", (path, $"TOKEN={Token}\n")));

        var finding = Assert.Single(Scan().Findings);

        Assert.True(path.Length > 6000);
        Assert.Equal(4096, finding.Location.Path.Length);
        Assert.StartsWith("folder-000-", finding.Location.Path, StringComparison.Ordinal);
        Assert.EndsWith($"/{folders[^1]}/secret.env", finding.Location.Path, StringComparison.Ordinal);
        Assert.Contains("…", finding.Location.Path, StringComparison.Ordinal);
        Assert.Contains("1 path is longer than 4,096 characters", Assert.Single(_warnings).Message);
    }

    [Fact]
    public void A_huge_commit_message_is_cut_to_a_bounded_summary_in_every_finding()
    {
        // One 20 MB line, as a hostile author can write it; every finding of the commit copies the summary.
        string message = "leak " + new string('m', 20 * 1024 * 1024);
        string messageFile = Path.Join(_root, "message.txt");
        File.WriteAllText(messageFile, message);
        _repo.Write("a.env", $"TOKEN={Token}\n").Write("b.env", $"TOKEN={OtherToken}\n");
        _repo.Git("add", "-A");
        _repo.Git("commit", "-q", "-F", messageFile);

        var result = Scan();

        Assert.Equal(2, result.Findings.Count);
        Assert.All(result.Findings, finding =>
        {
            string summary = Assert.IsType<string>(finding.Details["message"]);
            Assert.Equal(256, summary.Length);
            Assert.StartsWith("leak mmm", summary, StringComparison.Ordinal);
            Assert.EndsWith("…", summary, StringComparison.Ordinal);
        });
    }

    private const string ThirdToken = "ghp_Cd8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iR";

    /// <summary>A commit of what is staged whose author line libgit2 refuses (no e-mail address),
    /// as <c>git hash-object --literally</c> lets anyone write; git itself reads it.</summary>
    private string MalformedCommit(string parent, string message)
    {
        _repo.Git("add", "-A");
        string tree = _repo.Git("write-tree").Trim();
        return _repo.HashObjectLiterally("commit",
            $"tree {tree}\nparent {parent}\nauthor nobody\ncommitter Committer <committer@example.com> 1700000600 +0000\n\n{message}\n");
    }

    [Fact]
    public void A_malformed_tip_commit_is_a_warning_and_its_tree_and_parents_are_still_scanned()
    {
        _repo.Write("main.txt", "main\n").Commit("on main");
        _repo.Git("checkout", "-q", "-b", "side");
        string before = _repo.Write("old.env", $"TOKEN={Token}\n").Commit("behind the tip");
        _repo.Write("new.env", $"TOKEN={OtherToken}\n");
        string broken = MalformedCommit(before, "broken tip");
        _repo.Git("update-ref", "refs/heads/side", broken);
        _repo.Git("checkout", "-q", "-f", "main");

        var result = Scan();

        Assert.Equal([("new.env", broken), ("old.env", before)],
            result.Findings.Select(f => (f.Location.Path, f.Location.Commit!)).Order());
        Assert.Equal("broken tip", result.Findings.Single(f => f.Location.Path == "new.env").Details["message"]);
        var warning = Assert.Single(_warnings);
        Assert.EndsWith($"@{broken[..12]}", warning.Path, StringComparison.Ordinal);
        Assert.Contains("commit is malformed", warning.Message);
    }

    [Fact]
    public void A_malformed_commit_at_HEAD_does_not_stop_the_scan()
    {
        string first = _repo.Write("old.env", $"TOKEN={Token}\n").Commit("first");
        _repo.Write("new.env", $"TOKEN={OtherToken}\n");
        string broken = MalformedCommit(first, "broken head");
        _repo.Git("update-ref", "refs/heads/main", broken);

        var result = Scan();

        Assert.Equal(["new.env", "old.env"], result.Findings.Select(f => f.Location.Path).Order(StringComparer.Ordinal));
        Assert.Contains("commit is malformed", Assert.Single(_warnings).Message);
    }

    [Fact]
    public void A_malformed_commit_inside_history_costs_no_other_commit()
    {
        string first = _repo.Write("a.env", $"TOKEN={Token}\n").Commit("first");
        _repo.Write("b.env", $"TOKEN={OtherToken}\n");
        string broken = MalformedCommit(first, "broken middle");
        _repo.Write("c.env", $"TOKEN={ThirdToken}\n");
        _repo.Git("add", "-A");
        string tree = _repo.Git("write-tree").Trim();
        string top = _repo.Git("commit-tree", tree, "-p", broken, "-m", "on top").Trim();
        _repo.Git("update-ref", "refs/heads/main", top);

        var result = Scan();

        Assert.Equal([("a.env", first), ("b.env", broken), ("c.env", top)],
            result.Findings.Select(f => (f.Location.Path, f.Location.Commit!)).Order());
        Assert.EndsWith($"@{broken[..12]}", Assert.Single(_warnings).Path, StringComparison.Ordinal);
    }
}
