using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.ReleaseDiff;

public class ReleaseComparisonTests
{
    private static InventoriedFile File(string path, long size) => new(path, size, null);

    private static Finding Secret(string path, string secret = "ghp_…G5iK") => new()
    {
        RuleId = "test.github",
        Kind = FindingKind.Secret,
        Severity = Severity.Critical,
        Title = "GitHub token",
        Location = new Location { Path = path, Line = 1, Column = 1 },
        Secret = secret,
        Fingerprint = SecretText.Fingerprint("test.github", path, secret),
    };

    private static ReleaseContents Release(string label, InventoriedFile[] files, params Finding[] findings) =>
        new(label, files, findings, ReleaseContents.InsideItem);

    [Fact]
    public void Files_are_matched_by_their_path_inside_the_release()
    {
        var diff = ReleaseComparison.Compare(
            Release("1.0.0", [File("a@1.0.0.tgz!package/index.js", 10), File("a@1.0.0.tgz!package/old.js", 5), File("a@1.0.0.tgz!package/shrunk.js", 50)]),
            Release("1.1.0", [File("a@1.1.0.tgz!package/index.js", 20), File("a@1.1.0.tgz!package/cli.js.map", 900), File("a@1.1.0.tgz!package/shrunk.js", 40)]));
        Assert.Equal([new FileChange("package/cli.js.map", null, 900)], diff.Added);
        Assert.Equal([new FileChange("package/old.js", 5, null)], diff.Removed);
        Assert.Equal([new FileChange("package/index.js", 10, 20)], diff.Grown);
    }

    [Fact]
    public void A_finding_at_the_same_path_inside_both_releases_is_not_new()
    {
        var diff = ReleaseComparison.Compare(
            Release("1.0.0", [], Secret("a@1.0.0.tgz!package/config.js")),
            Release("1.1.0", [], Secret("a@1.1.0.tgz!package/config.js"), Secret("a@1.1.0.tgz!package/other.js"),
                Secret("a@1.1.0.tgz!package/config.js", "ghp_…XXXX")));
        Assert.Equal(["a@1.1.0.tgz!package/other.js", "a@1.1.0.tgz!package/config.js"], diff.NewFindings.Select(f => f.Location.Path));
    }

    [Fact]
    public void A_changed_short_secret_is_new_although_it_redacts_alike()
    {
        var before = Assert.Single(CoreTestKit.Scan(("a@1.0.0.tgz!package/app.js", "password = \"Xk9#mQ!p\"")).Findings);
        var after = Assert.Single(CoreTestKit.Scan(("a@1.1.0.tgz!package/app.js", "password = \"Xk3$vL!p\"")).Findings);
        Assert.Equal(before.Secret, after.Secret);

        var diff = ReleaseComparison.Compare(Release("1.0.0", [], before), Release("1.1.0", [], after));

        Assert.Equal([after], diff.NewFindings);
    }

    [Fact]
    public void Directory_releases_are_keyed_relative_to_the_directory()
    {
        var key = ReleaseContents.KeysWithin("/builds/old", isDirectory: true);
        Assert.Equal("dist/app.zip!main.js", key("/builds/old/dist/app.zip!main.js"));
        Assert.Equal("dist/app.js", key("/builds/old/dist/app.js"));
    }

    [Fact]
    public void The_inventory_lists_files_not_the_archives_that_hold_them()
    {
        var inventory = new FileInventory();
        byte[] gzip = [0x1f, 0x8b, 8, 0];
        byte[] zip = [(byte)'P', (byte)'K', 3, 4];
        foreach (var (path, content) in new[] { ("a.tgz", gzip), ("a.tgz!package/x.zip", zip), ("a.tgz!package/x.zip!inner.txt", "text"u8.ToArray()), ("a.tgz!package/y.js", "js"u8.ToArray()) })
        {
            inventory.Observe(new Blob { Path = path, Content = content });
        }
        Assert.Equal(["a.tgz!package/x.zip!inner.txt", "a.tgz!package/y.js"], inventory.Files().Select(f => f.Path));
    }

    [Fact]
    public void A_file_with_embedded_files_is_listed_once_with_their_count()
    {
        var inventory = new FileInventory();
        foreach (string path in new[] { "a.tgz!package/cli.js.map", "a.tgz!package/cli.js.map!src/a.ts", "a.tgz!package/cli.js.map!src/b.ts" })
        {
            inventory.Observe(new Blob { Path = path, Content = "{}"u8.ToArray() });
        }
        inventory.Observe(new Blob { Path = "a.tgz", Content = new byte[] { 0x1f, 0x8b, 8, 0 } });
        var file = Assert.Single(inventory.Files());
        Assert.Equal(("a.tgz!package/cli.js.map", 2), (file.Path, file.EmbeddedFiles));
        Assert.Equal("2 B, 2 embedded files", FileChange.Describe(2, file.EmbeddedFiles));
    }

    private static Finding ProtectedCode(string path, params string[] protectedPaths) => new()
    {
        RuleId = AnalyzerRules.ProtectedCode.Id,
        Kind = FindingKind.Exposure,
        Severity = Severity.Critical,
        Title = "Protected code",
        Location = new Location { Path = path },
        Fingerprint = "f",
        Details = new Dictionary<string, object?> { ["codebase"] = "acme/core", ["protectedPaths"] = protectedPaths.ToList() },
    };

    [Fact]
    public void A_release_that_holds_protected_files_the_previous_did_not_says_which_and_its_finding_is_new()
    {
        var none = Release("1.0.0", []);
        var one = Release("1.1.0", [], ProtectedCode("a@1.1.0.tgz", "src/a.js"));
        var three = Release("1.2.0", [], ProtectedCode("a@1.2.0.tgz", "src/a.js", "src/b.js", "src/c.js"));
        var fewer = Release("1.3.0", [], ProtectedCode("a@1.3.0.tgz", "src/b.js"));

        var starts = ReleaseComparison.Compare(none, one);
        Assert.Equal([new ProtectedCodeChange("acme/core", ["src/a.js"], 1, 0)], starts.ProtectedCode, ChangeComparer);
        Assert.True(starts.ProtectedCode[0].Starts);
        Assert.Single(starts.NewFindings);

        var more = ReleaseComparison.Compare(one, three);
        Assert.Equal([new ProtectedCodeChange("acme/core", ["src/b.js", "src/c.js"], 3, 1)], more.ProtectedCode, ChangeComparer);
        Assert.Single(more.NewFindings);
        Assert.Contains("a 1.2.0 holds 2 files more of acme/core (src/b.js, src/c.js; 3 in all); 1.1.0 held 1",
            VersionSteps.Describe("a", more));

        // Holding less, or the same, is not news; the same is true when the earlier release is a stored manifest.
        var less = ReleaseComparison.Compare(three, fewer);
        Assert.Empty(less.ProtectedCode);
        Assert.Empty(less.NewFindings);
        var stored = ReleaseManifest.FromJson(ReleaseManifest.Of(three).ToJson())!.ToContents("1.2.0");
        Assert.Empty(ReleaseComparison.Compare(stored, fewer).NewFindings);
        Assert.Single(ReleaseComparison.Compare(ReleaseManifest.FromJson(ReleaseManifest.Of(one).ToJson())!.ToContents("1.1.0"), three).NewFindings);
    }

    [Fact]
    public void A_manifest_written_before_protected_code_was_recorded_still_reads()
    {
        var manifest = ReleaseManifest.FromJson("""{"files":[{"path":"package/index.js","size":10,"embeddedFiles":0}],"findingKeys":[]}""")!;
        var diff = ReleaseComparison.Compare(manifest.ToContents("1.0.0"), Release("1.1.0", [], ProtectedCode("a@1.1.0.tgz", "src/a.js")));
        Assert.True(Assert.Single(diff.ProtectedCode).Starts);
    }

    private static readonly IEqualityComparer<ProtectedCodeChange> ChangeComparer = EqualityComparer<ProtectedCodeChange>.Create(
        (a, b) => a!.Codebase == b!.Codebase && a.NewFiles.SequenceEqual(b.NewFiles) && a.Files == b.Files && a.PreviousFiles == b.PreviousFiles,
        c => c.Codebase.GetHashCode(StringComparison.Ordinal));
}
