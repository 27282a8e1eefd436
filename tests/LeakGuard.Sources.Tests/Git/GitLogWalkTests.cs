using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;
using LibGit2Sharp;

namespace LeakGuard.Sources.Tests.Git;

/// <summary>git's walk (<see cref="GitLogWalk"/>) must introduce exactly the blobs, at exactly the
/// commits and paths, that the libgit2 walk does, and leave to it whatever it has a warning for.</summary>
public class GitLogWalkTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-gitlog-tests-").FullName;
    private readonly TestRepository _repo;

    public GitLogWalkTests() => _repo = new TestRepository(Path.Join(_root, "repo"));

    private List<ObjectId> Branches() =>
        [.. _repo.Git("for-each-ref", "--format=%(objectname)", "refs/heads").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(sha => new ObjectId(sha))];

    private static string Describe(BlobIntroduction b) =>
        $"{b.Blob.Sha} {b.Path} @{b.Commit.Id[..12]} {b.Commit.AuthorName} <{b.Commit.AuthorEmail}> {b.Commit.Date:O} '{b.Commit.MessageFirstLine}' +{b.OtherCommits}c +{b.OtherPaths}p";

    private (bool ByGit, List<string> Git, List<string> LibGit2) BothWalks(IReadOnlyList<ObjectId>? exclude = null)
    {
        using var repository = new Repository(_repo.Path);
        var tips = Branches();
        var byLibGit2 = new HistoryWalk(repository, "repo", (_, _) => { });
        byLibGit2.RunWithLibGit2(tips, exclude ?? []);
        var byGit = new List<(ObjectId Blob, string Path, CommitSummary Commit)>();
        bool walked = GitLogWalk.TryRun(repository, tips, exclude ?? [], (blob, path, commit) => byGit.Add((blob, path, commit)));
        // The same recording as the walk's, so introductions and repeats compare whole.
        var recorded = new Dictionary<ObjectId, BlobIntroduction>();
        var inOrder = new List<BlobIntroduction>();
        foreach (var (blob, path, commit) in byGit)
        {
            if (recorded.TryGetValue(blob, out var known))
            {
                known.SeenAgain(path, commit);
                continue;
            }
            recorded[blob] = new BlobIntroduction(blob, path, commit);
            inOrder.Add(recorded[blob]);
        }
        return (walked, [.. inOrder.Select(Describe)], [.. byLibGit2.Introductions.Select(Describe)]);
    }

    [Fact]
    public void Branches_merges_renames_copies_modes_links_and_odd_names_are_walked_as_libgit2_walks_them()
    {
        _repo.Write("README.md", "start\n").Write("config/app.env", "TOKEN=one\n").Write("empty.txt", "").Commit("start");
        _repo.Git("checkout", "-q", "-b", "side");
        _repo.Write("side.txt", "side 1\n").Write("README.md", "side readme\n").Commit("side work", "Grace Hopper", "grace@example.com");
        _repo.Git("checkout", "-q", "-b", "third", "main");
        _repo.Write("third.txt", "third\n").Commit("third work");
        _repo.Git("checkout", "-q", "main");
        _repo.Write("README.md", "main readme\n").Write("same/twice-a.txt", "twin\n").Write("same/twice-b.txt", "twin\n").Commit("main work");
        // A conflict resolved with content neither side had (an "evil" merge), then an octopus.
        _repo.Git("merge", "-q", "--no-commit", "-X", "ours", "side");
        _repo.Write("README.md", "resolved by hand\n").Commit("merge side, resolved");
        _repo.Git("checkout", "-q", "-b", "fourth", "main~1");
        _repo.Write("fourth.txt", "fourth\n").Commit("fourth work");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("merge", "-q", "--no-edit", "third", "fourth");
        // Renames, a copy, a deletion and the same content back, a mode change, a link, a file
        // that becomes a folder, a submodule link, names with spaces, quotes, a newline and non-ASCII.
        _repo.Git("mv", "config/app.env", "config/renamed.env");
        _repo.Write("config/copy.env", "TOKEN=one\n").Commit("rename and copy");
        _repo.Delete("side.txt").Commit("delete");
        _repo.Write("restored/side.txt", "side 1\n").Commit("same content back elsewhere");
        _repo.Git("update-index", "--chmod=+x", "third.txt");
        _repo.Git("commit", "-q", "-m", "mode only");
        File.CreateSymbolicLink(Path.Join(_repo.Path, "link"), "README.md");
        _repo.Delete("empty.txt").Write("empty.txt/inside.txt", "now a folder\n").Commit("link and a folder");
        _repo.Git("update-index", "--add", "--cacheinfo", "160000," + _repo.Git("rev-parse", "HEAD").Trim() + ",vendor/sub");
        _repo.Git("commit", "-q", "-m", "submodule");
        _repo.Write("odd names/a \"quoted\" name.txt", "quoted\n").Write("odd names/new\nline.txt", "newline\n")
            .Write("odd names/ünïcödé ☃.txt", "unicode\n").Write("odd names/\ttab.txt", "tab\n").Commit("odd names ☃");

        var (byGit, git, libGit2) = BothWalks();

        Assert.True(byGit);
        Assert.Equal(libGit2, git);
        Assert.Contains(git, d => d.Contains(" odd names/new\nline.txt @", StringComparison.Ordinal));
        Assert.Contains(git, d => d.Contains(" README.md @", StringComparison.Ordinal) && d.Contains("'merge side, resolved'", StringComparison.Ordinal));
        Assert.DoesNotContain(git, d => d.Contains("vendor/sub", StringComparison.Ordinal));
    }

    [Fact]
    public void Commits_walked_before_are_left_out_as_libgit2_leaves_them_out()
    {
        _repo.Write("a.txt", "a\n").Commit("first");
        string second = _repo.Write("b.txt", "b\n").Write("a.txt", "a2\n").Commit("second");
        _repo.Write("c.txt", "c\n").Write("a.txt", "a\n").Commit("third brings a back");

        var (byGit, git, libGit2) = BothWalks([new ObjectId(second)]);

        Assert.True(byGit);
        Assert.Equal(libGit2, git);
        Assert.Equal(2, git.Count);
    }

    [Fact]
    public void A_subject_written_with_CR_LF_line_ends_is_named_without_them()
    {
        _repo.Write("a.txt", "a\n").Git("add", "-A");
        // Kept as written: git's default clean-up would drop the carriage returns.
        _repo.Git("commit", "-q", "--cleanup=verbatim", "-m", "subject line\r\n\r\nbody\r\n");
        Assert.Contains("subject line\r\n", _repo.Git("cat-file", "commit", "HEAD"), StringComparison.Ordinal);

        using var repository = new Repository(_repo.Path);
        var summaries = new List<string>();
        Assert.True(GitLogWalk.TryRun(repository, Branches(), [], (_, _, commit) => summaries.Add(commit.MessageFirstLine)));

        Assert.Equal(["subject line"], summaries);
    }

    [Fact]
    public void What_the_libgit2_walk_warns_about_is_left_to_it()
    {
        // A commit libgit2 refuses (no e-mail address in its author line), which git reads.
        string first = _repo.Write("a.txt", "a\n").Commit("first");
        _repo.Write("b.txt", "b\n").Git("add", "-A");
        string tree = _repo.Git("write-tree").Trim();
        string broken = _repo.HashObjectLiterally("commit",
            $"tree {tree}\nparent {first}\nauthor nobody\ncommitter Committer <committer@example.com> 1700000600 +0000\n\nbroken\n");
        _repo.Git("update-ref", "refs/heads/main", broken);
        // And, on another branch, a path longer than a finding's path may be.
        _repo.FastImport(TestRepository.FastImportCommit("long", "long path",
            (string.Join('/', Enumerable.Range(0, 300).Select(i => $"folder-{i:D3}-xxxxxxxxxxxx")) + "/secret.env", "x\n")));

        using var repository = new Repository(_repo.Path);
        Assert.False(GitLogWalk.TryRun(repository, [new ObjectId(broken)], [], (_, _, _) => { }));
        Assert.False(GitLogWalk.TryRun(repository, [new ObjectId(_repo.Git("rev-parse", "long").Trim())], [], (_, _, _) => { }));
        Assert.True(GitLogWalk.TryRun(repository, [new ObjectId(first)], [], (_, _, _) => { }));
    }
}
