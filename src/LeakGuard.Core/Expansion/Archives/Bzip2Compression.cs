using SharpCompress.Compressors;
using SharpCompress.Compressors.BZip2;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>bzip2 (.bz2, .tbz2, .tbz, .tar.bz2), decoded by SharpCompress; concatenated streams
/// (pbzip2, lbzip2) are read through.</summary>
internal sealed class Bzip2Compression : StreamCompression
{
    public static readonly Bzip2Compression Instance = new();

    public override string Name => "bzip2";

    protected override string[] Suffixes => [".bz2", ".bz"];

    /// <summary>bzip2 reads a whole block (at most 900 kB before compression) before it hands out
    /// any of it, so a member is judged on the blocks read after it began: that undercounts it by
    /// the share of the block it began in, which the ratio floor (4 MiB) covers for members
    /// small enough for one block to matter. Counting the block instead would let every member
    /// inflate to 200 MB before it could be called a bomb.</summary>
    public override int ReadAhead => 0;

    public override Stream Open(Stream compressed) =>
        DecoderFailures.Open(() => BZip2Stream.Create(compressed, CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true), "bzip2");
}
