using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests.Scanning;

public class PathGlobsTests
{
    [Fact]
    public void No_globs_is_no_filter()
    {
        Assert.Null(PathGlobs.Filter([], []));
        Assert.Null(PathGlobs.AnyOf([]));
    }

    [Theory]
    [InlineData("package/lib/a.js", true)]
    [InlineData("package/test/a.js", false)]
    [InlineData("test/a.js", false)]
    [InlineData("package/README.md", false)]
    [InlineData("./package/lib/b.js", true)]
    public void A_path_must_match_an_include_and_no_exclude(string path, bool selected)
    {
        var filter = PathGlobs.Filter(["**/*.js"], ["**/test/**"])!;

        Assert.Equal(selected, filter.Matches(path));
    }

    [Fact]
    public void Without_includes_everything_not_excluded_is_selected()
    {
        var filter = PathGlobs.Filter([], ["docs/**"])!;

        Assert.True(filter.Matches("src/docs/a.md"));
        Assert.False(filter.Matches("docs/a.md"));
        Assert.True(filter.Matches("name\0with-nul.txt"));
    }

    [Fact]
    public void An_exclude_naming_a_folder_leaves_out_everything_in_it_as_in_a_directory_walk()
    {
        var filter = PathGlobs.Filter([], ["docs"])!;

        Assert.False(filter.Matches("docs/deep/a.md"));
        Assert.True(filter.Matches("src/docs.md"));
    }

    [Fact]
    public void A_path_known_two_ways_is_included_by_either_and_excluded_by_either()
    {
        var filter = PathGlobs.Filter(["src/**"], ["**/test/**"])!;

        Assert.True(filter.Matches("lib/a.js", "src/app.zip/lib/a.js"));
        Assert.False(filter.Matches("lib/a.js", "dist/app.zip/lib/a.js"));
        Assert.False(filter.Matches("test/a.js", "src/app.zip/test/a.js"));
        Assert.False(filter.Matches("a.js", "src/test/app.zip/a.js"));
    }

    [Theory]
    [InlineData("/work/root/src/a.js", "src/a.js")]
    [InlineData("/work/root!x", "/work/root!x")]
    [InlineData("/work/rooted/a.js", "/work/rooted/a.js")]
    [InlineData("./a.js", "a.js")]
    [InlineData("docs/a.md", "docs/a.md")]
    public void A_path_is_made_relative_to_the_scanned_directory_it_is_in(string path, string relative)
    {
        Assert.Equal(relative, PathGlobs.Relative(path, ["/work/root/", "."]));
    }

    [Fact]
    public void Any_of_matches_paths_that_match_one_glob()
    {
        var globs = PathGlobs.AnyOf(["fixtures/**", "*.snap"])!;

        Assert.True(globs.Matches("fixtures/deep/a.txt"));
        Assert.True(globs.Matches("a.snap"));
        Assert.False(globs.Matches("src/a.snap"));
        Assert.False(globs.Matches("src/fixtures/a.txt"));
    }

    [Theory]
    [InlineData("", "a glob cannot be empty")]
    [InlineData("src\\*.js", "separate folders with '/'")]
    [InlineData("../other/**", "'.' and '..' cannot be used")]
    [InlineData("src/./a", "'.' and '..' cannot be used")]
    public void A_glob_that_cannot_be_used_says_why(string glob, string reason)
    {
        Assert.Contains(reason, PathGlobs.Problem(glob), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PathGlobs.Filter([glob], []));
    }

    [Theory]
    [InlineData("**/*.js")]
    [InlineData("src/**")]
    [InlineData("a*b/c?.txt")]
    public void Usual_globs_are_valid(string glob)
    {
        Assert.Null(PathGlobs.Problem(glob));
    }
}
