namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// A single-stream compression (gzip, xz, zstd, bzip2): one compressed file, or the tar inside a
/// .tgz/.txz/.tzst/.tbz2. <see cref="ArchiveExpander"/> handles all of them alike; each format only
/// says how to open a decoder and how to name what comes out.
/// </summary>
internal abstract class StreamCompression
{
    /// <summary>The format's name in warnings ("xz archive is truncated or corrupt").</summary>
    public abstract string Name { get; }

    /// <summary>Suffixes of a compressed file's name, stripped to name what is inside it
    /// (app.log.xz holds app.log); a name without one gets ".out".</summary>
    protected abstract string[] Suffixes { get; }

    /// <summary>How far, at most, the decoder reads its compressed input ahead of what it has
    /// handed out: a member of a compressed tar is held to the bomb ratio against the compressed
    /// bytes read while it was inflated plus this, so that a member is never charged less than
    /// it took.</summary>
    public abstract int ReadAhead { get; }

    /// <summary>A decoder over <paramref name="compressed"/>, which it leaves open. Its own
    /// exceptions on damaged input surface as <see cref="InvalidDataException"/> (see
    /// <see cref="DecoderFailures"/>), so every format's damage is reported the same way.</summary>
    public abstract Stream Open(Stream compressed);

    /// <summary>The decompressed size the format records, when it records one; only a hint.</summary>
    public virtual long SizeHint(ReadOnlySpan<byte> compressed) => 0;

    /// <summary>The name of what <paramref name="fileName"/> holds.</summary>
    public string InnerName(string fileName)
    {
        foreach (string suffix in Suffixes)
        {
            if (fileName.Length > suffix.Length && fileName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return fileName[..^suffix.Length];
            }
        }
        return fileName + ".out";
    }

    public static StreamCompression For(ArchiveExpander.Format format) => format switch
    {
        ArchiveExpander.Format.Gzip => GzipCompression.Instance,
        ArchiveExpander.Format.Xz => XzCompression.Instance,
        ArchiveExpander.Format.Zstd => ZstdCompression.Instance,
        ArchiveExpander.Format.Bzip2 => Bzip2Compression.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a single-stream compression"),
    };
}
