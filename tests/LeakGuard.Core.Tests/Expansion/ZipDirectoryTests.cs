using System.Buffers.Binary;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// A zip's central directory is read one record at a time and no further than the member cap
/// (issue 11.6); one damaged or unreadable member is one warning. Zips made by the real zip, some
/// with a record damaged afterwards as an attacker (or a bad disk) would.
/// </summary>
public class ZipDirectoryTests
{
    private const string Token = CoreTestKit.GitHubToken;

    /// <summary>A zip of <paramref name="count"/> small files f0000.txt…, the first holding a token.</summary>
    private static byte[] ZipOf(int count, string dir)
    {
        File.WriteAllText(Path.Join(dir, "f0000.txt"), Token);
        for (int i = 1; i < count; i++)
        {
            File.WriteAllText(Path.Join(dir, $"f{i:D4}.txt"), $"file {i}\n");
        }
        CoreTestKit.Run(dir, "sh", "-c", "zip -q files.zip f*.txt");
        return File.ReadAllBytes(Path.Join(dir, "files.zip"));
    }

    /// <summary>Offset of central directory record <paramref name="index"/>, found from the end record.</summary>
    private static int RecordOffset(byte[] zip, int index)
    {
        int end = zip.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        int at = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
        for (int i = 0; i < index; i++)
        {
            at += 46 + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 30)) +
                BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 32));
        }
        return at;
    }

    [Fact]
    public void Members_before_a_damaged_directory_record_are_scanned()
    {
        byte[] zip = ZipOf(5, CoreTestKit.TempDirectory());
        zip[RecordOffset(zip, 3)] = (byte)'X';

        var result = CoreTestKit.Scan(null, ("damaged.zip", zip));

        Assert.Equal("damaged.zip!f0000.txt", Assert.Single(result.Findings).Location.Path);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("damaged.zip", warning.Path);
        Assert.Contains("central directory record 3", warning.Message);
    }

    [Fact]
    public void The_directory_is_not_read_past_the_member_cap()
    {
        byte[] zip = ZipOf(300, CoreTestKit.TempDirectory());
        // Damage far past the cap: a reader that stops at the cap never sees it.
        zip[RecordOffset(zip, 250)] = (byte)'X';

        var result = CoreTestKit.Scan(new ScanOptions { MaxArchiveMembers = 10 }, ("many.zip", zip));

        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "many.zip!f0000.txt");
        var bomb = Assert.Single(result.Findings, f => f.RuleId == "leakguard.archive-bomb");
        Assert.Contains("more than 10", (string)bomb.Details["reason"]!);
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("corrupt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_member_with_an_unsupported_compression_method_is_one_warning_and_the_others_are_scanned()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "a-bzip2.txt"), string.Concat(Enumerable.Repeat("compressible line\n", 200)));
        File.WriteAllText(Path.Join(dir, "b-token.txt"), Token);
        CoreTestKit.Run(dir, "zip", "-q", "-Z", "bzip2", "mixed.zip", "a-bzip2.txt");
        CoreTestKit.Run(dir, "zip", "-q", "-Z", "deflate", "mixed.zip", "b-token.txt");

        var result = CoreTestKit.Scan(null, ("mixed.zip", File.ReadAllBytes(Path.Join(dir, "mixed.zip"))));

        Assert.Equal("mixed.zip!b-token.txt", Assert.Single(result.Findings).Location.Path);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("mixed.zip!a-bzip2.txt", warning.Path);
        Assert.Contains("compression method 12", warning.Message);
    }

    [Fact]
    public void A_member_whose_data_lies_past_the_end_is_one_warning_and_the_others_are_scanned()
    {
        byte[] zip = ZipOf(3, CoreTestKit.TempDirectory());
        // Record 1 (f0001.txt) points its local header past the end of the archive.
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(RecordOffset(zip, 1) + 42), (uint)zip.Length + 100);

        var result = CoreTestKit.Scan(null, ("bad-offset.zip", zip));

        Assert.Equal("bad-offset.zip!f0000.txt", Assert.Single(result.Findings).Location.Path);
        // The zip, f0000.txt and f0002.txt.
        Assert.Equal(3, result.Stats.Blobs);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("bad-offset.zip!f0001.txt", warning.Path);
        Assert.Contains("damaged", warning.Message);
    }
}
