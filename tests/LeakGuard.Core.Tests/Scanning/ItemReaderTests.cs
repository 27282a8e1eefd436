using System.Text;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// A file on disk is read whole through a bare handle at the size the walk listed; a file that
/// changed since is read as it is now: one that grew through the stream path (nothing past the
/// listed size is lost), one that shrank as far as it goes.
/// </summary>
public sealed class ItemReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leakguard-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SourceItem Listed(string name, string text, long? listedLength = null)
    {
        string path = Path.Join(_dir, name);
        File.WriteAllText(path, text);
        return new SourceItem
        {
            Path = path,
            Length = listedLength ?? new FileInfo(path).Length,
            Open = () => new FileStream(path, FileMode.Open, FileAccess.Read),
            FilePath = path,
        };
    }

    private static string ReadAll(SourceItem item)
    {
        using var content = ItemReader.Read(item, new ScanOptions());
        Assert.NotNull(content);
        if (content.Buffer is { } buffer)
        {
            return Encoding.UTF8.GetString(buffer.Content.Span);
        }
        using var reader = new StreamReader(content.Stream!);
        return reader.ReadToEnd();
    }

    [Fact]
    public void A_file_is_read_whole_at_its_listed_size()
    {
        Assert.Equal("token = ghp_abc\n", ReadAll(Listed("a.env", "token = ghp_abc\n")));
    }

    [Fact]
    public void A_file_that_grew_since_it_was_listed_is_read_to_its_end()
    {
        string text = "line one\nAKIA_TAIL_OF_THE_FILE\n";
        Assert.Equal(text, ReadAll(Listed("grew.log", text, listedLength: 9)));
    }

    [Fact]
    public void A_file_that_shrank_since_it_was_listed_is_read_as_far_as_it_goes()
    {
        Assert.Equal("short\n", ReadAll(Listed("shrank.txt", "short\n", listedLength: 4096)));
    }
}
