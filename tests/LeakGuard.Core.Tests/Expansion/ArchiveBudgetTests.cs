using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// A bomb hides nothing after it: what runs over budget is cut off with a finding, and the members
/// after it are still scanned, each archive within its own share (issue 11.4). Archives are made by
/// the real zip, tar and gzip; the input budget is made small so that today's bombs stay cheap.
/// </summary>
public class ArchiveBudgetTests
{
    private const string Token = CoreTestKit.GitHubToken;

    /// <summary>64 MiB for the whole input: the 2 GiB bomb would spend it all.</summary>
    private static readonly ScanOptions Small = new() { MaxExpandedBytes = 64 * ScanOptions.MiB };

    private static ScanResult ScanFile(string path, ScanOptions options) =>
        CoreTestKit.Scan(options, (Path.GetFileName(path), File.ReadAllBytes(path)));

    private static string WriteAfter(string dir)
    {
        File.WriteAllText(Path.Join(dir, "after.js"), $"const t = \"{Token}\";\n");
        return "after.js";
    }

    [Fact]
    public void A_token_behind_a_nested_bomb_is_found()
    {
        string dir = CoreTestKit.TempDirectory();
        ArchiveBombs.NestedZip(dir);
        CoreTestKit.Run(dir, "zip", "-q", "outer.zip", "bomb.zip", WriteAfter(dir));

        var result = ScanFile(Path.Join(dir, "outer.zip"), Small);

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!after.js");
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.StartsWith("outer.zip!bomb.zip", bomb.Location.Path, StringComparison.Ordinal);
        // The bomb was cut off at its own share (4 MiB for 5 KB), not at the input's 64 MiB.
        Assert.True(result.Stats.Bytes < 16 * ScanOptions.MiB, $"{result.Stats.Bytes:N0} bytes were expanded");
        Assert.Contains(result.Warnings, w => w.Path.StartsWith("outer.zip!bomb.zip", StringComparison.Ordinal) && w.Message.Contains("the archive around it is still scanned"));
    }

    [Fact]
    public void A_token_behind_a_nested_archive_with_too_many_members_is_found()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "many"));
        for (int i = 0; i < 150; i++)
        {
            File.WriteAllText(Path.Join(dir, "many", $"f{i:D3}.txt"), "x");
        }
        CoreTestKit.Run(dir, "tar", "-czf", "many.tgz", "many");
        CoreTestKit.Run(dir, "zip", "-q", "outer.zip", "many.tgz", WriteAfter(dir));

        var result = ScanFile(Path.Join(dir, "outer.zip"), new ScanOptions { MaxArchiveMembers = 100 });

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!after.js");
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Equal("outer.zip!many.tgz", bomb.Location.Path);
        Assert.Contains(result.Warnings, w => w.Path == "outer.zip!many.tgz" && w.Message.Contains("'many.tgz' holds more than its share"));
    }

    [Fact]
    public void Archives_after_a_bomb_are_still_expanded_within_their_own_share()
    {
        string dir = CoreTestKit.TempDirectory();
        ArchiveBombs.NestedZip(dir);
        File.WriteAllText(Path.Join(dir, "inner.js"), $"const t = \"{Token}\";\n");
        CoreTestKit.Run(dir, "zip", "-q", "second.zip", "inner.js");
        CoreTestKit.Run(dir, "zip", "-q", "outer.zip", "bomb.zip", "second.zip", WriteAfter(dir));

        var result = ScanFile(Path.Join(dir, "outer.zip"), Small);

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!second.zip!inner.js");
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!after.js");
    }

    [Fact]
    public void Many_bombs_in_a_row_hide_nothing_after_them()
    {
        string dir = CoreTestKit.TempDirectory();
        ArchiveBombs.NestedZip(dir);
        var bombs = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            File.Copy(Path.Join(dir, "bomb.zip"), Path.Join(dir, $"bomb{i:D2}.zip"));
            bombs.Add($"bomb{i:D2}.zip");
        }
        CoreTestKit.Run(dir, "zip", ["-q", "outer.zip", .. bombs, WriteAfter(dir)]);

        // 20 bombs of 4 MiB each would spend 80 MiB: more than the input's 64 MiB.
        var result = ScanFile(Path.Join(dir, "outer.zip"), Small);

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!after.js");
        Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Contains(result.Warnings, w => w.Path == "outer.zip!bomb19.zip" && w.Message.StartsWith("not expanded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_member_too_large_for_what_is_left_is_skipped_and_later_members_are_scanned()
    {
        string dir = CoreTestKit.TempDirectory();
        var noise = new byte[3 * 1024 * 1024];
        new Random(11).NextBytes(noise);
        File.WriteAllBytes(Path.Join(dir, "big.bin"), noise);
        CoreTestKit.Run(dir, "zip", "-q", "outer.zip", "big.bin", WriteAfter(dir));

        var result = ScanFile(Path.Join(dir, "outer.zip"), new ScanOptions { MaxExpandedBytes = 2 * ScanOptions.MiB });

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "outer.zip!after.js");
        Assert.Contains(result.Warnings, w => w.Path == "outer.zip!big.bin" && w.Message.Contains("later members are still scanned"));
    }

    [Theory]
    [InlineData("tgz")]
    [InlineData("tar")]
    public void A_token_behind_a_nested_bomb_in_a_tarball_is_found(string format)
    {
        string dir = CoreTestKit.TempDirectory();
        ArchiveBombs.NestedZip(dir);
        WriteAfter(dir);
        CoreTestKit.Run(dir, "tar", format == "tgz" ? "-czf" : "-cf", $"outer.{format}", "bomb.zip", "after.js");

        var result = ScanFile(Path.Join(dir, $"outer.{format}"), Small);

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == $"outer.{format}!after.js");
        Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
    }
}
