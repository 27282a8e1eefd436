namespace LeakGuard.Core.Scanning;

/// <summary>One input a source offers the scanner: opened only when a worker gets to it.</summary>
public sealed class SourceItem
{
    public required string Path { get; init; }

    /// <summary>Size when known up front (files), so oversized inputs are skipped unread.</summary>
    public long? Length { get; init; }

    public required Func<Stream> Open { get; init; }

    public BlobOrigin? Origin { get; init; }
}
