using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>Archives made by the real tar, gzip and zip, scanned through the whole pipeline.</summary>
public class ArchiveExpanderTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private static string Package()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "package", "dist"));
        File.WriteAllText(Path.Join(dir, "package", "dist", "cli.js"), $"// bundle\nconst t = \"{Token}\";\n");
        File.WriteAllText(Path.Join(dir, "package", "README.md"), "nothing here\n");
        File.WriteAllText(Path.Join(dir, "package", ".env"), "A=1\n");
        return dir;
    }

    private static ScanResult ScanFile(string path, ScanOptions? options = null) =>
        CoreTestKit.Scan(options, (Path.GetFileName(path), File.ReadAllBytes(path)));

    [Fact]
    public void Members_of_a_tgz_are_named_with_the_archive_chain()
    {
        string dir = Package();
        CoreTestKit.Run(dir, "tar", "-czf", "pkg-1.0.0.tgz", "package");
        var result = ScanFile(Path.Join(dir, "pkg-1.0.0.tgz"));
        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal("pkg-1.0.0.tgz!package/dist/cli.js", secret.Location.Path);
        Assert.Equal(2, secret.Location.Line);
        Assert.Contains(result.Findings, f => f.RuleId == "test.env-file" && f.Location.Path == "pkg-1.0.0.tgz!package/.env");
    }

    [Fact]
    public void Members_are_fingerprinted_under_the_archive_fingerprint_path_and_shown_under_its_path()
    {
        string dir = Package();
        CoreTestKit.Run(dir, "tar", "-czf", "pkg-1.0.0.tgz", "package");
        string archive = Path.Join(dir, "pkg-1.0.0.tgz");
        var rules = CoreTestKit.Rules();
        using var engine = LeakGuard.Matching.MatchEngineFactory.Create(LeakGuard.Matching.EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        var item = new SourceItem
        {
            Path = archive,
            FingerprintPath = "dist/pkg-1.0.0.tgz",
            Length = new FileInfo(archive).Length,
            Open = () => File.OpenRead(archive),
        };

        var result = new Scanner(rules, engine, new ScanOptions()).Run([item]);

        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal(archive + "!package/dist/cli.js", secret.Location.Path);
        Assert.Equal(LeakGuard.Core.Findings.SecretText.Fingerprint("test.github", "dist/pkg-1.0.0.tgz!package/dist/cli.js",
            LeakGuard.Core.Findings.FingerprintKey.Ephemeral.Digest(Token)), secret.Fingerprint);
        var exposure = Assert.Single(result.Findings, f => f.RuleId == "test.env-file");
        Assert.Equal(LeakGuard.Core.Findings.SecretText.Fingerprint("test.env-file", "dist/pkg-1.0.0.tgz!package/.env", null), exposure.Fingerprint);
    }

    [Fact]
    public void Members_of_a_plain_tar_are_read_in_place_with_their_own_content()
    {
        string dir = Package();
        CoreTestKit.Run(dir, "tar", "-cf", "pkg.tar", "package");
        var result = ScanFile(Path.Join(dir, "pkg.tar"));
        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal("pkg.tar!package/dist/cli.js", secret.Location.Path);
        Assert.Equal((2, 12), (secret.Location.Line, secret.Location.Column));
        Assert.Contains(result.Findings, f => f.RuleId == "test.env-file" && f.Location.Path == "pkg.tar!package/.env");
    }

    [Fact]
    public void A_zip_inside_a_tar_inside_a_gzip_is_expanded()
    {
        string dir = Package();
        CoreTestKit.Run(Path.Join(dir, "package"), "zip", "-qr", "../inner.zip", "dist");
        CoreTestKit.Run(dir, "tar", "-cf", "outer.tar", "inner.zip");
        CoreTestKit.Run(dir, "gzip", "-k", "outer.tar");
        var result = ScanFile(Path.Join(dir, "outer.tar.gz"));
        Assert.Equal("outer.tar.gz!inner.zip!dist/cli.js", Assert.Single(result.Findings, f => f.RuleId == "test.github").Location.Path);
    }

    [Fact]
    public void A_plain_gz_file_is_decompressed_under_its_inner_name()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "app.log"), $"token {Token}\n");
        CoreTestKit.Run(dir, "gzip", "app.log");
        Assert.Equal("app.log.gz!app.log", Assert.Single(ScanFile(Path.Join(dir, "app.log.gz")).Findings).Location.Path);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_a_warning_not_a_failure()
    {
        string dir = Package();
        CoreTestKit.Run(dir, "zip", "-qr", "level1.zip", "package");
        CoreTestKit.Run(dir, "zip", "-q", "level2.zip", "level1.zip");
        CoreTestKit.Run(dir, "zip", "-q", "level3.zip", "level2.zip");
        var shallow = ScanFile(Path.Join(dir, "level3.zip"), new ScanOptions { MaxArchiveDepth = 2 });
        Assert.DoesNotContain(shallow.Findings, f => f.RuleId == "test.github");
        Assert.Contains(shallow.Warnings, w => w.Path == "level3.zip!level2.zip!level1.zip" && w.Message.Contains("--max-archive-depth 2"));
        var deep = ScanFile(Path.Join(dir, "level3.zip"));
        Assert.Equal("level3.zip!level2.zip!level1.zip!package/dist/cli.js", Assert.Single(deep.Findings, f => f.RuleId == "test.github").Location.Path);
    }

    [Fact]
    public void A_zip_bomb_is_one_finding_and_the_other_members_are_still_scanned()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "zeros.txt"), new byte[64 * 1024 * 1024]);
        File.WriteAllText(Path.Join(dir, "secret.txt"), Token);
        CoreTestKit.Run(dir, "zip", "-q", "-9", "bomb.zip", "zeros.txt", "secret.txt");
        var result = ScanFile(Path.Join(dir, "bomb.zip"));
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Equal("bomb.zip", bomb.Location.Path);
        Assert.Contains("zeros.txt", (string)bomb.Details["reason"]!);
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "bomb.zip!secret.txt");
        // Inflated bytes were bounded by the ratio limit, not the member's 64 MiB.
        Assert.True(result.Stats.Bytes < 16 * 1024 * 1024, $"{result.Stats.Bytes} bytes were expanded");
    }

    [Fact]
    public void A_tgz_member_that_inflates_past_the_ratio_is_cut_off_and_the_next_member_is_scanned()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "a-zeros.bin"), new byte[64 * 1024 * 1024]);
        File.WriteAllText(Path.Join(dir, "b-secret.txt"), Token);
        CoreTestKit.Run(dir, "tar", "-czf", "bomb.tgz", "a-zeros.bin", "b-secret.txt");
        var result = ScanFile(Path.Join(dir, "bomb.tgz"));
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Equal("bomb.tgz", bomb.Location.Path);
        Assert.Contains("'a-zeros.bin' inflates beyond 200x", (string)bomb.Details["reason"]!);
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "bomb.tgz!b-secret.txt");
        // The 1000x member was cut off near the 4 MiB floor, not scanned whole.
        Assert.True(result.Stats.Bytes < 16 * 1024 * 1024, $"{result.Stats.Bytes} bytes were scanned");
    }

    [Fact]
    public void Too_many_members_stop_the_input_with_one_finding()
    {
        string dir = CoreTestKit.TempDirectory();
        for (int i = 0; i < 30; i++)
        {
            File.WriteAllText(Path.Join(dir, $"f{i:D2}.txt"), "x");
        }
        CoreTestKit.Run(dir, "sh", "-c", "zip -q many.zip f*.txt");
        var result = ScanFile(Path.Join(dir, "many.zip"), new ScanOptions { MaxArchiveMembers = 10 });
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Contains("more than 10", (string)bomb.Details["reason"]!);
    }

    [Fact]
    public void A_truncated_tgz_warns_and_keeps_what_came_before_the_damage()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "p"));
        File.WriteAllText(Path.Join(dir, "p", "a-first.txt"), Token);
        var random = new Random(7);
        var noise = new byte[512 * 1024];
        random.NextBytes(noise);
        File.WriteAllBytes(Path.Join(dir, "p", "b-noise.bin"), noise);
        CoreTestKit.Run(dir, "tar", "-czf", "full.tgz", "p/a-first.txt", "p/b-noise.bin");
        byte[] full = File.ReadAllBytes(Path.Join(dir, "full.tgz"));
        byte[] truncated = full[..(full.Length / 2)];
        var result = CoreTestKit.Scan(null, ("cut.tgz", truncated), ("other.txt", Encoding.ASCII.GetBytes(Token)));
        Assert.Contains(result.Findings, f => f.Location.Path == "cut.tgz!p/a-first.txt");
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        Assert.Contains(result.Warnings, w => w.Path == "cut.tgz" && w.Message.Contains("truncated or corrupt"));
    }

    [Fact]
    public void Garbage_with_a_zip_signature_is_a_warning()
    {
        byte[] garbage = [.. "PK\u0003\u0004"u8, .. new byte[100]];
        var result = CoreTestKit.Scan(null, ("fake.zip", garbage));
        Assert.Empty(result.Findings);
        Assert.Contains(result.Warnings, w => w.Path == "fake.zip" && w.Message.Contains("zip archive is truncated or corrupt"));
    }

    /// <summary>A tar of package/dist/cli.js (holding the token) and package/README.md made by
    /// GNU tar, with the second member's size field (offset 124, 12 bytes) replaced by
    /// <paramref name="size"/> and its header checksum recomputed, as a crafted archive would be.</summary>
    private static (string Dir, byte[] Tar) TarWithSecondSize(byte[] size)
    {
        string dir = Package();
        CoreTestKit.Run(dir, "tar", "--format=ustar", "-cf", "pkg.tar", "package/dist/cli.js", "package/README.md");
        byte[] tar = File.ReadAllBytes(Path.Join(dir, "pkg.tar"));
        int second = 512 + 512; // the first member's header and its one block of data
        Assert.Equal("package/README.md", Encoding.ASCII.GetString(tar, second, 17));
        size.CopyTo(tar, second + 124);
        int checksum = tar.AsSpan(second, 512).ToArray().Select((b, i) => i is >= 148 and < 156 ? (int)' ' : b).Sum();
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, second + 148);
        return (dir, tar);
    }

    /// <summary>Found by the fuzz test: .NET's tar reader throws ArgumentOutOfRangeException for a
    /// member whose declared size runs past the end, which escaped the scan.</summary>
    [Fact]
    public void A_tar_member_declaring_more_than_the_archive_holds_is_a_warning_and_the_members_before_it_are_scanned()
    {
        var (_, tar) = TarWithSecondSize(Encoding.ASCII.GetBytes("77777777777\0")); // 8 GiB

        var result = CoreTestKit.Scan(null, ("pkg.tar", tar), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        Assert.Contains(result.Findings, f => f.Location.Path == "pkg.tar!package/dist/cli.js");
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        Assert.Contains(result.Warnings, w => w.Path == "pkg.tar" && w.Message.Contains("tar archive is truncated or corrupt", StringComparison.Ordinal));
    }

    /// <summary>Found by the fuzz test (issue 11.1): a base-256 size field larger than a long makes
    /// .NET's tar reader throw OverflowException, which escaped the scan, in a tar as in a .tgz.</summary>
    [Fact]
    public void A_tar_size_field_that_overflows_is_a_warning_in_a_tar_and_in_a_tgz()
    {
        byte[] overflowing = [0x80, .. Enumerable.Repeat((byte)0xFF, 11)];
        var (dir, tar) = TarWithSecondSize(overflowing);
        File.WriteAllBytes(Path.Join(dir, "crafted.tar"), tar);
        CoreTestKit.Run(dir, "gzip", "-k", "-n", "crafted.tar");
        byte[] tgz = File.ReadAllBytes(Path.Join(dir, "crafted.tar.gz"));

        var result = CoreTestKit.Scan(null, ("pkg.tar", tar), ("pkg.tgz", tgz), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        Assert.Contains(result.Findings, f => f.Location.Path == "pkg.tar!package/dist/cli.js");
        Assert.Contains(result.Findings, f => f.Location.Path == "pkg.tgz!package/dist/cli.js");
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        Assert.Contains(result.Warnings, w => w.Path == "pkg.tar" && w.Message.Contains("tar archive is truncated or corrupt", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "pkg.tgz" && w.Message.Contains("gzip archive is truncated or corrupt", StringComparison.Ordinal));
    }
}
