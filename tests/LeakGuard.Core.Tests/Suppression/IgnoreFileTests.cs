using LeakGuard.Core.Suppression;

namespace LeakGuard.Core.Tests.Suppression;

public sealed class IgnoreFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("leakguard-ignore-");

    public void Dispose() => _directory.Delete(recursive: true);

    private const string First = "0123456789abcdef0123456789abcdef";
    private const string Second = "fedcba9876543210fedcba9876543210";

    private static IgnoreFile Parse(string text) => IgnoreFile.Parse("repo/.leakguardignore", new StringReader(text));

    [Fact]
    public void Contains_each_listed_fingerprint()
    {
        var ignore = Parse($"{First}\n{Second}\n");

        Assert.True(ignore.Contains(First));
        Assert.True(ignore.Contains(Second));
        Assert.Equal(2, ignore.Count);
    }

    [Fact]
    public void Does_not_contain_an_unlisted_fingerprint()
    {
        var ignore = Parse(First);

        Assert.False(ignore.Contains(Second));
    }

    [Fact]
    public void Comment_lines_and_blank_lines_are_skipped()
    {
        var ignore = Parse($"# test fixtures, not real keys\n\n   \n\t# {Second}\n{First}\n");

        Assert.Equal(1, ignore.Count);
        Assert.True(ignore.Contains(First));
        Assert.False(ignore.Contains(Second));
    }

    [Fact]
    public void A_comment_after_a_fingerprint_is_its_reason_not_part_of_it()
    {
        var ignore = Parse($"{First}   # revoked 2024-05-01\n{Second}#no space\n");

        Assert.True(ignore.Contains(First));
        Assert.True(ignore.Contains(Second));
    }

    [Fact]
    public void Windows_line_endings_are_accepted()
    {
        var ignore = Parse($"# reasons\r\n{First}\r\n");

        Assert.True(ignore.Contains(First));
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK")]
    public void A_line_that_is_not_a_fingerprint_is_an_error_naming_file_and_line(string bad)
    {
        var error = Assert.Throws<SuppressionFileException>(() => Parse($"# header\n{First}\n{bad}\n"));

        Assert.StartsWith("repo/.leakguardignore:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a fingerprint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_message_shortens_a_long_bad_line()
    {
        string pasted = new('x', 200);

        var error = Assert.Throws<SuppressionFileException>(() => Parse(pasted));

        Assert.DoesNotContain(pasted, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_the_file_from_disk()
    {
        string path = Path.Combine(_directory.FullName, ".leakguardignore");
        File.WriteAllText(path, $"{First} # fixture\n");

        var ignore = IgnoreFile.Load(path);

        Assert.True(ignore.Contains(First));
        Assert.Equal(path, ignore.Path);
    }

    [Fact]
    public void Load_of_a_missing_file_is_an_error_naming_it()
    {
        string path = Path.Combine(_directory.FullName, "missing");

        var error = Assert.Throws<SuppressionFileException>(() => IgnoreFile.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }
}
