namespace LeakGuard.Core.Scanning;

/// <summary>One input a source offers the scanner: opened only when a worker gets to it.</summary>
public sealed class SourceItem
{
    public required string Path { get; init; }

    /// <summary>Size when known up front (files), so oversized inputs are skipped unread.</summary>
    public long? Length { get; init; }

    public required Func<Stream> Open { get; init; }

    public BlobOrigin? Origin { get; init; }

    /// <summary>A blob already in memory as an item (rule examples, tests).</summary>
    public static SourceItem InMemory(Blob blob) => new()
    {
        Path = blob.Path,
        Length = blob.Content.Length,
        Origin = blob.Origin,
        Open = () => new MemoryStream(blob.Content.ToArray(), writable: false),
    };
}
