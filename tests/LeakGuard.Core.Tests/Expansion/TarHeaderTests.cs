using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// Hostile tar headers cost a bounded amount and one warning (issue 11.1 and 11.5): tarballs made by
/// the real tar and gzip, some with a header edited afterwards as an attacker would.
/// </summary>
public class TarHeaderTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private const string OtherToken = "ghp_Mn3bV7cX1zL5kJ9hG2fD4sA8pO6iU0yT3rEw";

    /// <summary>A tar of a-first.txt and b-second.txt, each holding a token, as tar wrote it.</summary>
    private static byte[] TwoMemberTar()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "a-first.txt"), Token);
        File.WriteAllText(Path.Join(dir, "b-second.txt"), OtherToken);
        CoreTestKit.Run(dir, "tar", "--format=gnu", "-cf", "two.tar", "a-first.txt", "b-second.txt");
        return File.ReadAllBytes(Path.Join(dir, "two.tar"));
    }

    /// <summary>Writes <paramref name="value"/> into a numeric field of the header at
    /// <paramref name="header"/> and sets the header's checksum so that it still adds up.</summary>
    private static void EditHeader(byte[] tar, int header, int field, byte[] value)
    {
        value.CopyTo(tar, header + field);
        "        "u8.CopyTo(tar.AsSpan(header + 148, 8));
        long sum = 0;
        for (int i = 0; i < 512; i++)
        {
            sum += tar[header + i];
        }
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, header + 148);
    }

    /// <summary>GNU base-256: the high bit marks it, then big-endian bytes; eleven of 0xFF overflow 63 bits.</summary>
    private static readonly byte[] Overflowing = [0x80, .. Enumerable.Repeat((byte)0xFF, 11)];

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
    public void A_base256_size_that_overflows_is_a_corrupt_header_and_the_members_before_it_and_other_files_are_scanned(string format)
    {
        byte[] tar = TwoMemberTar();
        // a-first.txt: header at 0, its data in the next block; b-second.txt's header at 1024.
        EditHeader(tar, 1024, 124, Overflowing);
        string name = $"edited.{format}";

        var result = CoreTestKit.Scan(null, (name, format == "tgz" ? Gzip(tar) : tar), ("other.txt", Encoding.ASCII.GetBytes(Token)));

        Assert.Contains(result.Findings, f => f.Location.Path == $"{name}!a-first.txt");
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
        var warning = Assert.Single(result.Warnings, w => w.Path == name);
        Assert.Contains("size that overflows", warning.Message);
    }

    [Theory]
    [InlineData("tar")]
    [InlineData("tgz")]
    public void A_base256_timestamp_that_overflows_does_not_matter_to_a_scan(string format)
    {
        byte[] tar = TwoMemberTar();
        EditHeader(tar, 1024, 136, Overflowing);
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
