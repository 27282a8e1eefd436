namespace LeakGuard.Core.Scanning;

/// <summary>What a source knows about where bytes came from beyond their path.</summary>
public sealed record BlobOrigin
{
    public string? Commit { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }

    /// <summary>Source-specific facts copied into every finding's details (e.g. the repository,
    /// how many other commits carry the same blob).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }
}

/// <summary>Bytes with provenance: a file, an archive member, or text decoded from another blob.</summary>
public sealed class Blob
{
    /// <summary>Display path; archive members are joined with '!' (outer.tgz!package/a.js).</summary>
    public required string Path { get; init; }

    public required ReadOnlyMemory<byte> Content { get; init; }

    public BlobOrigin? Origin { get; init; }

    /// <summary>How many archives this blob is nested in.</summary>
    public int ArchiveDepth { get; init; }

    /// <summary>Set when this blob is text decoded from another blob.</summary>
    public DecodedFrom? DecodedFrom { get; init; }

    /// <summary>The path inside the innermost archive (or the path itself): what path rules see.</summary>
    public string MemberPath
    {
        get
        {
            int bang = Path.LastIndexOf('!');
            return bang < 0 ? Path : Path[(bang + 1)..];
        }
    }

    /// <summary>Decoding steps from the original bytes to this blob, outermost first, e.g. "json-string>base64".</summary>
    public string? DecodingChain => DecodedFrom is null
        ? null
        : DecodedFrom.Parent.DecodingChain is { } outer ? $"{outer}>{DecodedFrom.Method}" : DecodedFrom.Method;

    public int DecodingDepth => DecodedFrom is null ? 0 : DecodedFrom.Parent.DecodingDepth + 1;
}

/// <summary>The blob a decoded blob came from, and how to map its offsets back.</summary>
public sealed record DecodedFrom(Blob Parent, string Method, OffsetMap Map);

/// <summary>
/// Maps offsets in decoded text to offsets in the text it was decoded from. Checkpoints are
/// (decoded, original) pairs in increasing order; between checkpoints the mapping advances one
/// to one when <see cref="Linear"/>, else every offset maps to its checkpoint (base64, where
/// decoded bytes have no single source byte).
/// </summary>
public sealed class OffsetMap(int[] decoded, int[] original, bool linear)
{
    public bool Linear { get; } = linear;

    public static OffsetMap Constant(int originalOffset) => new([0], [originalOffset], linear: false);

    public int ToOriginal(int offset)
    {
        int i = Array.BinarySearch(decoded, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }
        if (i < 0)
        {
            return original.Length == 0 ? 0 : original[0];
        }
        return Linear ? original[i] + (offset - decoded[i]) : original[i];
    }
}
