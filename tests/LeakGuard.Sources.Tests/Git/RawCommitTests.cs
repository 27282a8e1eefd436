using System.Text;
using LeakGuard.Sources.Git;

namespace LeakGuard.Sources.Tests.Git;

public class RawCommitTests
{
    private const string Tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private const string Parent = "0123456789abcdef0123456789abcdef01234567";

    private static RawCommit Parse(string text) => RawCommit.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Tree_parents_author_and_summary_are_read_where_libgit2_refuses_the_author()
    {
        var commit = Parse($"tree {Tree}\nparent {Parent}\nauthor nobody\ncommitter C <c@example.com> 1700000000 +0130\n\nsubject line\n\nbody\n");

        Assert.Equal(Tree, commit.Tree!.Sha);
        Assert.Equal([Parent], commit.Parents.Select(p => p.Sha));
        Assert.Equal(("nobody", "", null), (commit.AuthorName, commit.AuthorEmail, commit.AuthorDate));
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 23, 43, 20, TimeSpan.FromMinutes(90)), commit.CommitterDate);
        Assert.Equal("subject line", commit.Summary);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\0\0\0garbage")]
    [InlineData("tree nothex\nparent 123\n\n")]
    [InlineData("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 99999999999999999999 +0000\ncommitter A <a@b> 253402300800 +9959\n")]
    [InlineData("author A <a@b> 1700000000 -1500\nauthor <<>> > 1 x\n\n\n")]
    public void Any_bytes_give_a_commit_and_nothing_that_cannot_be_read_is_made_up(string text)
    {
        var commit = Parse(text);

        Assert.True(commit.Tree is null || commit.Tree.Sha == Tree);
        Assert.Empty(commit.Parents);
        Assert.Null(commit.CommitterDate);
    }
}
