using LeakGuard.Core.Scanning;
using LeakGuard.Processes;
using LeakGuard.Sources.FileSystem;

namespace LeakGuard.Sources.Tests;

public class FileSystemSourceTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-fs-tests-").FullName;
    private readonly List<(string Path, string Message)> _warnings = [];

    private string Write(string relative, string text = "x")
    {
        string path = Path.Join(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private List<string> List(FileSystemOptions? options = null, params string[] targets) =>
        [.. new FileSystemSource(targets.Length == 0 ? [_root] : targets, options ?? new FileSystemOptions(), (p, m) => _warnings.Add((p, m)))
            .Enumerate()
            .Select(i => Path.GetRelativePath(_root, i.Path))];

    [Fact]
    public void Walks_every_file_below_a_directory_in_a_stable_order()
    {
        Write("b/2.txt");
        Write("a/1.txt");
        Write("a/sub/3.txt");
        Write("top.txt");
        Assert.Equal(["a/1.txt", "a/sub/3.txt", "b/2.txt", "top.txt"], List());
    }

    private List<(string Path, string? FingerprintPath)> Items(params string[] targets) =>
        [.. new FileSystemSource(targets, new FileSystemOptions(), (p, m) => _warnings.Add((p, m))).Enumerate().Select(i => (i.Path, i.FingerprintPath))];

    [Fact]
    public void Files_of_a_directory_are_fingerprinted_relative_to_it_however_it_is_named()
    {
        Write("a/b.txt");
        Write("top.txt");
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), _root);

        foreach (string target in new[] { _root, _root + "/", relative, relative + "/./" })
        {
            var items = Items(target);
            Assert.Equal(["a/b.txt", "top.txt"], items.Select(i => i.FingerprintPath));
            Assert.All(items, i => Assert.StartsWith(target, i.Path, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_file_named_as_a_target_is_fingerprinted_by_its_name()
    {
        string file = Write("deep/er/config.env");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);

        Assert.Equal([(file, "config.env")], Items(file));
        Assert.Equal([(relative, "config.env")], Items(relative));
    }

    [Fact]
    public void A_checkouts_metadata_is_skipped_but_for_the_files_that_can_hold_a_credential()
    {
        Write(".git/HEAD", "ref: refs/heads/main\n");
        Write(".git/config", "[remote \"origin\"]\n");
        Write(".git/objects/ab/cdef0123", "x");
        Write(".git/hooks/pre-push.sample", "x");
        Write(".git/logs/HEAD", "x");
        Write(".git/modules/vendor/lib/config", "[core]\n");
        Write(".git/modules/vendor/lib/HEAD", "x");
        Write(".git/modules/vendor/lib/modules/inner/config", "[core]\n");
        Write(".hg/hgrc", "[paths]\n");
        Write(".hg/store/data/a.i", "x");
        Write(".svn/wc.db", "x");
        Write(".gitignore", "*.log\n");
        Write("src/a.txt");
        Write("vendor/nested/.git/HEAD", "x");
        Write("vendor/nested/.git/config", "x");
        Write("vendor/nested/x.txt");
        Write("vendor/lib/.git", "gitdir: ../../.git/modules/vendor/lib\n");
        Write("vendor/lib/y.txt");

        var items = new FileSystemSource([_root], new FileSystemOptions(), (p, m) => _warnings.Add((p, m))).Enumerate().ToList();

        Assert.Equal(
            [".git/config", ".git/modules/vendor/lib/config", ".git/modules/vendor/lib/modules/inner/config", ".gitignore", ".hg/hgrc",
                "src/a.txt", "vendor/lib/y.txt", "vendor/nested/.git/config", "vendor/nested/x.txt"],
            items.Select(i => i.FingerprintPath));
        Assert.Equal(
            [".git/config", ".git/modules/vendor/lib/config", ".git/modules/vendor/lib/modules/inner/config", ".hg/hgrc", "vendor/nested/.git/config"],
            items.Where(i => i.IsCheckoutMetadata).Select(i => i.FingerprintPath));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void A_checkouts_metadata_named_as_a_target_is_scanned_as_named()
    {
        string config = Write(".git/config", "[remote \"origin\"]\n");

        var item = Assert.Single(new FileSystemSource([config], new FileSystemOptions(), (_, _) => { }).Enumerate());

        Assert.False(item.IsCheckoutMetadata);
    }

    [Fact]
    public void Include_and_exclude_globs_filter_relative_paths()
    {
        Write("src/a.js");
        Write("src/a.test.js");
        Write("dist/a.js");
        Assert.Equal(["dist/a.js", "src/a.js"], List(new FileSystemOptions { Exclude = ["**/*.test.js"] }));
        Assert.Equal(["src/a.js", "src/a.test.js"], List(new FileSystemOptions { Include = ["src/**"] }));
    }

    [Fact]
    public void Gitignored_files_are_scanned_unless_asked_otherwise()
    {
        Write(".gitignore", "dist/\n*.log\n");
        Write("dist/bundle.js");
        Write("app.log");
        Write("src/a.js");
        Write("src/.gitignore", "generated.js\n");
        Write("src/generated.js");
        Assert.Contains("dist/bundle.js", List());
        Assert.Equal([".gitignore", "src/.gitignore", "src/a.js"], List(new FileSystemOptions { RespectGitignore = true }));
    }

    [Fact]
    public void Symbolic_links_are_not_followed_by_default_and_a_followed_tree_is_listed_once()
    {
        Write("real/a.txt");
        File.CreateSymbolicLink(Path.Join(_root, "link.txt"), Path.Join(_root, "real/a.txt"));
        Directory.CreateSymbolicLink(Path.Join(_root, "linkdir"), Path.Join(_root, "real"));
        Assert.Equal(["real/a.txt"], List());
        Assert.Equal(["link.txt", "real/a.txt"], List(new FileSystemOptions { FollowSymlinks = true }));
    }

    [Fact]
    public void A_symbolic_link_loop_ends()
    {
        Write("a/file.txt");
        Directory.CreateSymbolicLink(Path.Join(_root, "a", "loop"), Path.Join(_root, "a"));
        Directory.CreateSymbolicLink(Path.Join(_root, "a", "up"), _root);
        Assert.Equal(["a/file.txt"], List(new FileSystemOptions { FollowSymlinks = true }));
    }

    [Fact]
    public void A_link_loop_through_a_parent_reached_through_another_link_is_entered_once()
    {
        // b/deep/loop names b/deep again, but relative to its parent: reached as a/link/loop, that
        // parent is a/link, itself a link to b/deep.
        Write("b/deep/t.js");
        Directory.CreateDirectory(Path.Join(_root, "a"));
        Directory.CreateSymbolicLink(Path.Join(_root, "a", "link"), "../b/deep");
        Directory.CreateSymbolicLink(Path.Join(_root, "b", "deep", "loop"), "../deep");

        Assert.Equal(["a/link/t.js"], List(new FileSystemOptions { FollowSymlinks = true }));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Links_that_name_each_other_are_a_warning_each_and_the_rest_is_listed()
    {
        Write("a/file.txt");
        File.CreateSymbolicLink(Path.Join(_root, "a", "ping"), "pong");
        File.CreateSymbolicLink(Path.Join(_root, "a", "pong"), "ping");

        Assert.Equal(["a/file.txt"], List(new FileSystemOptions { FollowSymlinks = true }));
        Assert.Equal(["ping", "pong"], _warnings.Select(w => Path.GetFileName(w.Path)).Order());
        Assert.All(_warnings, w => Assert.StartsWith("symbolic link could not be followed", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_link_is_a_warning_when_following()
    {
        File.CreateSymbolicLink(Path.Join(_root, "dangling"), Path.Join(_root, "missing"));
        Assert.Empty(List(new FileSystemOptions { FollowSymlinks = true }));
        Assert.Contains(_warnings, w => w.Path.EndsWith("dangling", StringComparison.Ordinal) && w.Message == "broken symbolic link");
    }

    [Fact]
    public void A_missing_target_is_a_warning()
    {
        Assert.Empty(List(null, Path.Join(_root, "nope")));
        Assert.Contains(_warnings, w => w.Message == "no such file or directory");
    }

    [Fact]
    public void A_fifo_is_listed_but_never_opened_for_reading()
    {
        Write("a.txt", "hello");
        string fifo = Path.Join(_root, "pipe");
        ProcessRunner.Run(new ProcessCommand("mkfifo", fifo), TimeSpan.FromMinutes(1)).EnsureSuccess();
        var items = new FileSystemSource([_root], new FileSystemOptions(), (_, _) => { }).Enumerate().ToList();
        var pipe = Assert.Single(items, i => i.Path.EndsWith("pipe", StringComparison.Ordinal));
        Assert.Equal(0, pipe.Length);
        // Opening a FIFO for reading would block until a writer appears; this returns at once.
        using var stream = pipe.Open();
        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public void A_file_that_vanishes_before_it_is_read_is_a_warning_and_the_rest_is_scanned()
    {
        string gone = Write("gone.txt", "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK");
        Write("kept.txt", "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK");
        var items = new FileSystemSource([_root], new FileSystemOptions(), (_, _) => { }).Enumerate().ToList();
        File.Delete(gone);
        var result = TokenScan.Run(items);
        Assert.Equal(gone, Assert.Single(result.Warnings).Path);
        Assert.Contains("could not be read", result.Warnings[0].Message);
        Assert.EndsWith("kept.txt", Assert.Single(result.Findings).Location.Path, StringComparison.Ordinal);
    }
}
