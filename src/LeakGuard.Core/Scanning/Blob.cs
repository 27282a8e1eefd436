using LeakGuard.Core.Expansion;

namespace LeakGuard.Core.Scanning;

/// <summary>What a source knows about where bytes came from beyond their path.</summary>
public sealed record BlobOrigin
{
    public string? Commit { get; init; }

    /// <summary>Where <see cref="Commit"/> comes in its history (parents before children): what
    /// tells which of a leak's commits is the earliest, whatever order the blobs are offered in.
    /// Null: offered in history order.</summary>
    public int? HistoryOrder { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }

    /// <summary>What the source itself knows of the package the bytes belong to when none of its
    /// files says (a web site: whether its owner declared it open source). A manifest found in
    /// the content comes first.</summary>
    public Exposure.PackageManifest? Manifest { get; init; }

    /// <summary>Source-specific facts copied into every finding's details (e.g. the repository,
    /// how many other commits carry the same blob).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }
}

/// <summary>Bytes with provenance: a file, an archive member, or text decoded from another blob.</summary>
public sealed class Blob
{
    /// <summary>Display path; archive members are joined with '!' (outer.tgz!package/a.js).</summary>
    public required string Path { get; init; }

    /// <summary>The path fingerprints are taken under: <see cref="SourceItem.FingerprintPath"/> of
    /// the item, with members joined by '!' as in <see cref="Path"/>. Defaults to <see cref="Path"/>.</summary>
    public string FingerprintPath
    {
        get => _fingerprintPath ?? Path;
        init => _fingerprintPath = value;
    }

    private readonly string? _fingerprintPath;

    public required ReadOnlyMemory<byte> Content { get; init; }

    public BlobOrigin? Origin { get; init; }

    /// <summary>A checkout's own metadata (<see cref="SourceItem.IsCheckoutMetadata"/>): content
    /// rules see it, path rules do not. Not passed on to members or decoded text.</summary>
    public bool IsCheckoutMetadata { get; init; }

    /// <summary>How many archives this blob is nested in.</summary>
    public int ArchiveDepth { get; init; }

    /// <summary>Whether <see cref="Content"/> stays valid until its top-level input is done: its
    /// own array, or a slice of bytes that last. Matching such a member may wait for another core
    /// (<see cref="IExpansionSink"/>); a member whose bytes an expander reuses once it returns must
    /// not be, and is not by default.</summary>
    public bool Lasting { get; init; }

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

    /// <summary><see cref="MemberPath"/> as seen from the scanned root (of <see cref="FingerprintPath"/>):
    /// what a file's kind is judged from, so <c>scan tests/app</c> and <c>scan app</c> judge
    /// <c>app/.env</c> alike.</summary>
    public string RootedMemberPath
    {
        get
        {
            string path = FingerprintPath;
            int bang = path.LastIndexOf('!');
            return bang < 0 ? path : path[(bang + 1)..];
        }
    }

    /// <summary>Decoding steps from the original bytes to this blob, outermost first, e.g. "json-string>base64".</summary>
    public string? DecodingChain => DecodedFrom is null
        ? null
        : DecodedFrom.Parent.DecodingChain is { } outer ? $"{outer}>{DecodedFrom.Method}" : DecodedFrom.Method;

    public int DecodingDepth => DecodedFrom is null ? 0 : DecodedFrom.Parent.DecodingDepth + 1;

    /// <summary>A file inside this one (an archive member, an embedded source, an inline map),
    /// named <paramref name="name"/> after a '!' in both its paths.</summary>
    /// <param name="lasting">Whether <paramref name="content"/> lasts (<see cref="Lasting"/>): true
    /// for an array of the member's own, this blob's <see cref="Lasting"/> for a slice of it.</param>
    public Blob Member(string name, ReadOnlyMemory<byte> content, bool lasting = false) => new()
    {
        Path = $"{Path}!{name}",
        FingerprintPath = $"{FingerprintPath}!{name}",
        Content = content,
        Origin = Origin,
        ArchiveDepth = ArchiveDepth + 1,
        Lasting = lasting,
    };
}

/// <summary>The blob a decoded blob came from, and how to map its offsets back.</summary>
public sealed record DecodedFrom(Blob Parent, string Method, OffsetMap Map);

/// <summary>
/// Maps offsets in decoded text to offsets in the text it was decoded from. Checkpoints are
/// (decoded, original) pairs in increasing order; between checkpoints the mapping advances one
/// to one when <see cref="Linear"/> (escapes), else every offset maps to its checkpoint. Base64
/// (<see cref="Base64"/>, <see cref="Base64Pieces"/>) is neither: decoded byte i begins in symbol
/// 4·(i/3) + i%3 of its run, found in the piece (line) that holds it.
/// </summary>
public sealed class OffsetMap
{
    private readonly int[] _decoded;
    private readonly int[] _original;
    private readonly bool _base64;

    public OffsetMap(int[] decoded, int[] original, bool linear)
    {
        _decoded = decoded;
        _original = original;
        Linear = linear;
    }

    private OffsetMap(int originalOffset, bool base64)
        : this([0], [originalOffset], linear: false, base64)
    {
    }

    private OffsetMap(int[] decoded, int[] original, bool linear, bool base64)
        : this(decoded, original, linear)
    {
        _base64 = base64;
    }

    public bool Linear { get; }

    public static OffsetMap Constant(int originalOffset) => new(originalOffset, base64: false);

    /// <summary>Text decoded from a gapless run of base64 symbols starting at <paramref name="originalOffset"/>:
    /// each decoded byte maps to the symbol its bits begin in, so a secret in it has its own column.</summary>
    public static OffsetMap Base64(int originalOffset) => new(originalOffset, base64: true);

    /// <summary>Text decoded from base64 in pieces (a value wrapped over lines): <paramref name="starts"/>
    /// of each piece, <paramref name="symbolsBefore"/> each holds in the joined symbols. A decoded
    /// byte maps to its symbol in the piece that holds it: a secret keeps its own line and column.</summary>
    public static OffsetMap Base64Pieces(int[] starts, int[] symbolsBefore) => new(symbolsBefore, starts, linear: false, base64: true);

    public int ToOriginal(int offset)
    {
        if (_base64)
        {
            int symbol = (offset / 3 * 4) + (offset % 3);
            int piece = _decoded.Length == 1 ? 0 : Array.BinarySearch(_decoded, symbol);
            piece = piece < 0 ? ~piece - 1 : piece;
            return _original[piece] + (symbol - _decoded[piece]);
        }
        int i = Array.BinarySearch(_decoded, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }
        if (i < 0)
        {
            return _original.Length == 0 ? 0 : _original[0];
        }
        return Linear ? _original[i] + (offset - _decoded[i]) : _original[i];
    }
}
