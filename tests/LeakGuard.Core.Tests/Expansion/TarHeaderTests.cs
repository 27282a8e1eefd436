using LeakGuard.Core.Tests.Support;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// Hostile tar headers cost a bounded amount and at most one warning (issue 11.1 and 11.5):
/// tarballs made by the real tar and gzip, some with a header edited afterwards as an attacker
/// would. (A size that overflows: Scanning/FailureIsolationTests.)
/// </summary>
public class TarHeaderTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private const string OtherToken = "ghp_Mn3bV7cX1zL5kJ9hG2fD4sA8pO6iU0yT3rEw";

    private static byte[] Gzip(byte[] tar)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "edited.tar"), tar);
        CoreTestKit.Run(dir, "gzip", "edited.tar");
        return File.ReadAllBytes(Path.Join(dir, "edited.tar.gz"));
    }

    [Theory]
    [InlineData("tar")]
    [InlineData("tgz")]
    public void A_base256_timestamp_that_overflows_does_not_matter_to_a_scan(string format)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "a-first.txt"), Token);
        File.WriteAllText(Path.Join(dir, "b-second.txt"), OtherToken);
        CoreTestKit.Run(dir, "tar", "--format=gnu", "-cf", "two.tar", "a-first.txt", "b-second.txt");
        byte[] tar = File.ReadAllBytes(Path.Join(dir, "two.tar"));
        CraftedTar.OverflowTimestamp(tar, "b-second.txt");
        string name = $"edited.{format}";

        var result = CoreTestKit.Scan(null, (name, format == "tgz" ? Gzip(tar) : tar));

        Assert.Contains(result.Findings, f => f.Location.Path == $"{name}!a-first.txt");
        Assert.Contains(result.Findings, f => f.Location.Path == $"{name}!b-second.txt");
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("gnu", "tgz")]
    [InlineData("pax", "tgz")]
    [InlineData("gnu", "tar")]
    [InlineData("pax", "tar")]
    public void A_member_name_longer_than_4096_bytes_is_not_read_and_the_member_is_still_scanned(string tarFormat, string format)
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "a"), Token);
        // Beside it, a member whose name is long but within the limit (20 folders of 150 letters, no 'a').
        string deep = string.Join('/', Enumerable.Range(1, 20).Select(i => new string((char)('a' + i), 150))) + "/secret.txt";
        Directory.CreateDirectory(Path.Join(dir, Path.GetDirectoryName(deep)));
        File.WriteAllText(Path.Join(dir, deep), OtherToken);
        // tar renames 'a' to a million a's: a GNU long-name entry or a PAX path record.
        const string TenTimes = "s/a/aaaaaaaaaa/g";
        CoreTestKit.Run(dir, "tar", $"--format={tarFormat}", $"--transform=s/a/aaaaaaaaaa/;{TenTimes};{TenTimes};{TenTimes};{TenTimes};{TenTimes}",
            format == "tgz" ? "-czf" : "-cf", $"long.{format}", "a", deep[..150]);

        var result = CoreTestKit.Scan(null, ($"long.{format}", File.ReadAllBytes(Path.Join(dir, $"long.{format}"))));

        var secret = Assert.Single(result.Findings, f => f.Location.Path.StartsWith($"long.{format}!aaaa", StringComparison.Ordinal));
        Assert.True(secret.Location.Path.Length < 4096, $"a path of {secret.Location.Path.Length:N0} characters");
        Assert.Contains(result.Findings, f => f.Location.Path == $"long.{format}!{deep}");
        var warning = Assert.Single(result.Warnings, w => w.Path == $"long.{format}");
        Assert.Contains("1,000,00", warning.Message);
        Assert.Contains("keeps the name in its header", warning.Message);
    }
}
