using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;

namespace LeakGuard.Sources.Tests.Git;

public class GitStagedSourceTests
{
    private readonly TestRepository _repo = new(Directory.CreateTempSubdirectory("leakguard-staged-tests-").FullName);

    private List<(string Path, string Text)> Staged()
    {
        using var source = GitStagedSource.Open(_repo.Path);
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

        var error = Assert.Throws<GitSourceException>(() => GitStagedSource.Open(plain));

        Assert.Contains(plain, error.Message);
    }
}
