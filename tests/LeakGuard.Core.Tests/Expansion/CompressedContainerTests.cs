using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// xz, zstd, bzip2 and 7z, and the tars inside the first three, expanded like gzip and zip (issue
/// 10): archives made by the real xz, zstd, bzip2, tar and 7z (Debian's xz-utils, zstd, bzip2 and
/// p7zip-full, which ./test installs), scanned through the whole pipeline.
/// </summary>
public class CompressedContainerTests
{
    private const string Token = CoreTestKit.GitHubToken;

    /// <summary>The single-stream compressions: the tool, its arguments to compress a file in
    /// place (keeping nothing else), and the suffix it adds.</summary>
    public static TheoryData<string, string> Compressors => new()
    {
        { "xz", ".xz" },
        { "zstd", ".zst" },
        { "bzip2", ".bz2" },
    };

    /// <summary>Every name users give a compressed tar, with the tool that makes it.</summary>
    public static TheoryData<string, string> CompressedTars => new()
    {
        { "xz", "dist.tar.xz" },
        { "xz", "dist.txz" },
        { "zstd", "dist.tar.zst" },
        { "zstd", "dist.tzst" },
        { "bzip2", "dist.tar.bz2" },
        { "bzip2", "dist.tbz2" },
        { "bzip2", "dist.tbz" },
    };

    private static string Package()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "package"));
        File.WriteAllText(Path.Join(dir, "package", "index.js"), $"// bundle\nconst t = \"{Token}\";\n");
        File.WriteAllText(Path.Join(dir, "package", "README.md"), "nothing here\n");
        return dir;
    }

    /// <summary>Compresses <paramref name="file"/> in <paramref name="dir"/> with the real tool,
    /// removing the original, and returns the compressed file's name.</summary>
    private static string Compress(string dir, string tool, string file)
    {
        CoreTestKit.Run(dir, tool, tool == "zstd" ? ["-q", "--rm", file] : ["-q", file]);
        return file + tool switch { "xz" => ".xz", "zstd" => ".zst", _ => ".bz2" };
    }

    /// <summary>A tar of <paramref name="paths"/> compressed by <paramref name="tool"/>, named <paramref name="name"/>.</summary>
    private static string CompressedTar(string dir, string tool, string name, params string[] paths)
    {
        CoreTestKit.Run(dir, "tar", ["-cf", "made.tar", .. paths]);
        File.Move(Path.Join(dir, Compress(dir, tool, "made.tar")), Path.Join(dir, name));
        return Path.Join(dir, name);
    }

    private static string SevenZip(string dir, string name, params string[] args)
    {
        CoreTestKit.Run(dir, "7z", ["a", "-bd", "-bso0", "-bsp0", name, .. args]);
        return Path.Join(dir, name);
    }

    /// <summary>64 MiB of zeros, then a file holding the token, in one tar (compressed by
    /// <paramref name="tool"/>) or one solid 7z block: reaching the token means decoding the zeros.</summary>
    private static string ZerosThenToken(string tool)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "a-zeros.txt"), new byte[64 * 1024 * 1024]);
        File.WriteAllText(Path.Join(dir, "b-secret.txt"), Token);
        return tool == "7z"
            ? SevenZip(dir, "bomb.7z", "-ms=on", "a-zeros.txt", "b-secret.txt")
            : CompressedTar(dir, tool, "bomb.tar.x", "a-zeros.txt", "b-secret.txt");
    }

    private static ScanResult ScanFile(string path, string? name = null) =>
        CoreTestKit.Scan(null, (name ?? Path.GetFileName(path), File.ReadAllBytes(path)));

    [Theory]
    [MemberData(nameof(Compressors))]
    public void A_compressed_file_is_decompressed_under_its_inner_name(string tool, string suffix)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "app.log"), $"token {Token}\n");
        string compressed = Compress(dir, tool, "app.log");
        Assert.EndsWith(suffix, compressed);

        var result = ScanFile(Path.Join(dir, compressed));

        Assert.Equal($"app.log{suffix}!app.log", Assert.Single(result.Findings).Location.Path);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [MemberData(nameof(CompressedTars))]
    public void Members_of_a_compressed_tar_are_named_after_the_archive(string tool, string name)
    {
        string dir = Package();
        string archive = CompressedTar(dir, tool, name, "package");

        var result = ScanFile(archive);

        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal($"{name}!package/index.js", secret.Location.Path);
        Assert.Equal(2, secret.Location.Line);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("solid", "-ms=on")]
    [InlineData("one block per file", "-ms=off")]
    public void Members_of_a_7z_are_named_after_the_archive(string _, string solid)
    {
        string dir = Package();
        string archive = SevenZip(dir, "dist.7z", solid, "package");

        var result = ScanFile(archive);

        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal("dist.7z!package/index.js", secret.Location.Path);
        Assert.Equal(2, secret.Location.Line);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    [InlineData("7z")]
    public void A_container_is_known_by_its_magic_bytes_not_its_name(string tool)
    {
        string dir = Package();
        string archive = tool == "7z" ? SevenZip(dir, "made.7z", "package") : CompressedTar(dir, tool, "made.tar.x", "package");

        var result = ScanFile(archive, "download.bin");

        Assert.Equal("download.bin!package/index.js", Assert.Single(result.Findings, f => f.RuleId == "test.github").Location.Path);
    }

    [Fact]
    public void A_7z_inside_a_tar_zst_inside_a_tgz_is_expanded()
    {
        string dir = Package();
        SevenZip(dir, "inner.7z", "package");
        CompressedTar(dir, "zstd", "middle.tar.zst", "inner.7z");
        CoreTestKit.Run(dir, "tar", "-czf", "outer.tgz", "middle.tar.zst");

        var result = ScanFile(Path.Join(dir, "outer.tgz"));

        Assert.Equal("outer.tgz!middle.tar.zst!inner.7z!package/index.js", Assert.Single(result.Findings, f => f.RuleId == "test.github").Location.Path);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    [InlineData("7z")]
    public void A_bomb_member_is_cut_off_and_the_member_after_it_is_scanned(string tool)
    {
        // Both members in one tar or one solid 7z block, the bomb first: reaching the token
        // means decoding past the bomb.
        string archive = ZerosThenToken(tool);
        string name = Path.GetFileName(archive);

        var result = ScanFile(archive);

        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Equal(name, bomb.Location.Path);
        Assert.Contains("'a-zeros.txt' inflates beyond 200x", (string)bomb.Details["reason"]!);
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == $"{name}!b-secret.txt");
        // The 64 MiB member was cut off, not scanned whole.
        Assert.True(result.Stats.Bytes < 16 * 1024 * 1024, $"{result.Stats.Bytes} bytes were scanned");
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    [InlineData("7z")]
    public void A_member_larger_than_what_is_left_stops_the_archive_with_one_warning(string tool)
    {
        // 64 MiB of zeros before the token, in one tar or one solid block, with 32 MiB to expand:
        // reaching the token would mean decoding more than is left, so the archive stops there.
        string archive = ZerosThenToken(tool);
        string name = Path.GetFileName(archive);

        var result = CoreTestKit.Scan(new ScanOptions { MaxExpandedBytes = 32 * ScanOptions.MiB }, (name, File.ReadAllBytes(archive)));

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "test.github");
        Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(name, warning.Path);
        Assert.Contains("not fully expanded: expanded content exceeds 33,554,432 bytes", warning.Message);
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void A_compressed_file_that_is_a_bomb_is_one_finding(string tool, string suffix)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "zeros.bin"), new byte[64 * 1024 * 1024]);
        string compressed = Compress(dir, tool, "zeros.bin");

        var result = CoreTestKit.Scan(null, (compressed, File.ReadAllBytes(Path.Join(dir, compressed))), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Equal($"zeros.bin{suffix}", bomb.Location.Path);
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "other.txt");
        Assert.True(result.Stats.Bytes < 16 * 1024 * 1024, $"{result.Stats.Bytes} bytes were scanned");
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    public void A_truncated_compressed_tar_is_one_warning_and_keeps_what_came_before_the_damage(string tool)
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "p"));
        File.WriteAllText(Path.Join(dir, "p", "a-first.txt"), Token);
        // Random bytes do not compress: the cut lands inside them, after the first member.
        var noise = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(Path.Join(dir, "p", "b-noise.bin"), noise);
        byte[] full = File.ReadAllBytes(CompressedTar(dir, tool, "full.tar.x", "p/a-first.txt", "p/b-noise.bin"));

        var result = CoreTestKit.Scan(null, ("cut.tar.x", full[..(full.Length / 2)]), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        Assert.Contains(result.Findings, f => f.Location.Path == "cut.tar.x!p/a-first.txt");
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("cut.tar.x", warning.Path);
        Assert.Contains("truncated or corrupt", warning.Message);
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("bzip2")]
    [InlineData("7z")]
    public void A_truncated_file_of_each_format_is_one_warning_and_the_scan_goes_on(string tool)
    {
        string dir = Package();
        var noise = new byte[256 * 1024];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(Path.Join(dir, "package", "noise.bin"), noise);
        string archive = tool == "7z" ? SevenZip(dir, "made.7z", "package") : CompressedTar(dir, tool, "made.tar.x", "package");
        byte[] full = File.ReadAllBytes(archive);

        // Cut near the end: a 7z keeps its file list there, the others their end-of-stream checks.
        var result = CoreTestKit.Scan(null, ("cut.bin", full[..^40]), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("cut.bin", warning.Path);
        Assert.Contains("truncated or corrupt", warning.Message);
    }

    /// <summary>A cut that takes only what follows the tar's last block (xz's stream footer, zstd's
    /// and bzip2's end checks): every member is read, and the damaged end is still a warning.</summary>
    [Theory]
    [InlineData("xz", 12)]
    [InlineData("zstd", 4)]
    [InlineData("bzip2", 4)]
    public void A_compressed_tar_cut_after_its_last_member_is_one_warning(string tool, int cut)
    {
        string archive = CompressedTar(Package(), tool, "made.tar.x", "package");
        byte[] full = File.ReadAllBytes(archive);

        var result = CoreTestKit.Scan(null, ("cut.bin", full[..^cut]));

        Assert.Contains(result.Findings, f => f.Location.Path == "cut.bin!package/index.js");
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("truncated or corrupt", warning.Message);
    }

    [Fact]
    public void An_encrypted_7z_is_one_warning()
    {
        string dir = Package();
        string members = SevenZip(dir, "members.7z", "-psecret", "package");
        string all = SevenZip(dir, "all.7z", "-psecret", "-mhe=on", "package");

        var result = CoreTestKit.Scan(null, ("members.7z", File.ReadAllBytes(members)), ("all.7z", File.ReadAllBytes(all)));

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal(["all.7z", "members.7z"], result.Warnings.Select(w => w.Path).Order());
        Assert.All(result.Warnings, w => Assert.Contains("7z archive is encrypted", w.Message));
    }

    [Theory]
    [InlineData("RAR 4", new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00 })]
    [InlineData("RAR 5", new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00 })]
    public void An_unsupported_rar_is_one_warning(string _, byte[] signature)
    {
        // No rar tool runs here: the signature, then what could be a member stored uncompressed.
        byte[] rar = [.. signature, .. new byte[32], .. Encoding.ASCII.GetBytes($"secret.txt {Token}\n")];

        var result = CoreTestKit.Scan(null, ("dist.rar", rar), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("dist.rar", warning.Path);
        Assert.Contains("RAR archive not expanded", warning.Message);
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
    }
}
