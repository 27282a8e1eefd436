using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;

namespace LeakGuard.Sources.Tests.Git;

public class GitStagedSourceTests
{
    private readonly TestRepository _repo = new(Directory.CreateTempSubdirectory("leakguard-staged-tests-").FullName);
    private readonly List<(string Path, string Message)> _warnings = [];

    private List<(string Path, string Text)> Staged()
    {
        using var source = GitStagedSource.Open(_repo.Path, (path, message) => _warnings.Add((path, message)));
        return [.. source.Enumerate().Select(item =>
        {
            using var reader = new StreamReader(item.Open());
            return (item.Path, reader.ReadToEnd());
        })];
    }

    [Fact]
    public void Before_the_first_commit_everything_staged_is_offered()
    {
        _repo.Write("a.txt", "a\n").Write("b/c.txt", "c\n");
        _repo.Git("add", "-A");

        Assert.Equal([("a.txt", "a\n"), ("b/c.txt", "c\n")], Staged());
    }

    [Fact]
    public void New_and_changed_files_are_offered_with_their_staged_content_not_the_working_copy()
    {
        _repo.Write("changed.txt", "old\n").Write("same.txt", "same\n").Write("gone.txt", "gone\n").Commit("start");
        _repo.Write("changed.txt", "staged\n").Write("new.txt", "new\n");
        _repo.Git("add", "changed.txt", "new.txt");
        _repo.Git("rm", "-q", "gone.txt");
        _repo.Write("changed.txt", "edited after staging\n");

        Assert.Equal([("changed.txt", "staged\n"), ("new.txt", "new\n")], Staged());
    }

    [Fact]
    public void A_pure_rename_adds_no_content_and_is_not_offered()
    {
        _repo.Write("old.txt", "content\n").Commit("start");
        _repo.Git("mv", "old.txt", "new.txt");

        Assert.Empty(Staged());
    }

    [Fact]
    public void A_folder_outside_any_repository_is_one_clear_error()
    {
        string plain = Directory.CreateTempSubdirectory("leakguard-not-a-repo-").FullName;

        var error = Assert.Throws<GitSourceException>(() => GitStagedSource.Open(plain, (_, _) => { }));

        Assert.Contains(plain, error.Message);
    }

    [Fact]
    public void A_malformed_HEAD_commit_is_a_warning_and_what_is_staged_is_compared_with_its_tree()
    {
        string first = _repo.Write("kept.txt", "kept\n").Commit("start");
        string tree = _repo.Git("rev-parse", "HEAD^{tree}").Trim();
        string broken = _repo.HashObjectLiterally("commit",
            $"tree {tree}\nparent {first}\nauthor nobody\ncommitter Committer <committer@example.com> 1700000600 +0000\n\nbroken\n");
        _repo.Git("update-ref", "refs/heads/main", broken);
        _repo.Write("new.txt", "new\n");
        _repo.Git("add", "new.txt");

        Assert.Equal([("new.txt", "new\n")], Staged());
        Assert.Contains("commit is malformed", Assert.Single(_warnings).Message);
    }
}
