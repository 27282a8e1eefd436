namespace LeakGuard.Core.Scanning;

/// <summary>One input a source offers the scanner: opened only when a worker gets to it.</summary>
public sealed class SourceItem
{
    public required string Path { get; init; }

    /// <summary>Size when known up front (files), so oversized inputs are skipped unread.</summary>
    public long? Length { get; init; }

    public required Func<Stream> Open { get; init; }

    /// <summary>A plain file on disk that <see cref="Open"/> opens: read through a bare handle
    /// instead (no stream object per file, one positional read), which for a tree of small files
    /// is most of what reading costs.</summary>
    public string? FilePath { get; init; }

    public BlobOrigin? Origin { get; init; }

    /// <summary>
    /// The path fingerprints are taken under, so that a finding's fingerprint (and with it
    /// <c>.leakguardignore</c> and <c>--baseline</c>) does not depend on how the target was typed
    /// or where the scan ran: relative to the directory the user named, or the file name of a
    /// file the user named. Null when <see cref="Path"/> already is that (git: the path in the
    /// repository; packages: the package file's name; stdin).
    /// </summary>
    public string? FingerprintPath { get; init; }

    /// <summary>Version-control metadata of a checkout on disk (<c>.git/config</c>, <c>.hg/hgrc</c>):
    /// its content is scanned, since a remote URL can carry a token, but its path is no exposure,
    /// since every checkout has one, so path rules do not see it.</summary>
    public bool IsCheckoutMetadata { get; init; }

    /// <summary>The blob a worker scans: this item's paths and provenance over <paramref name="content"/>.</summary>
    /// <param name="lasting">Whether <paramref name="content"/> is held until the item is done (<see cref="Blob.Lasting"/>).</param>
    public Blob ToBlob(ReadOnlyMemory<byte> content, bool lasting = false) => new()
    {
        Path = Path,
        FingerprintPath = FingerprintPath ?? Path,
        Content = content,
        Origin = Origin,
        IsCheckoutMetadata = IsCheckoutMetadata,
        Lasting = lasting,
    };

    /// <summary>A blob already in memory as an item (rule examples, tests).</summary>
    public static SourceItem InMemory(Blob blob) => new()
    {
        Path = blob.Path,
        FingerprintPath = blob.FingerprintPath,
        IsCheckoutMetadata = blob.IsCheckoutMetadata,
        Length = blob.Content.Length,
        Origin = blob.Origin,
        Open = () => new MemoryStream(blob.Content.ToArray(), writable: false),
    };
}
