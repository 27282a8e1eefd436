using SharpCompress.Compressors.Xz;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>xz (.xz, .txz, .tar.xz), decoded by SharpCompress, which refuses an LZMA2 dictionary
/// over 64 MiB (xz -9's), so a header cannot make the decoder allocate more.</summary>
internal sealed class XzCompression : StreamCompression
{
    public static readonly XzCompression Instance = new();

    public override string Name => "xz";

    protected override string[] Suffixes => [".xz"];

    /// <summary>An LZMA2 chunk holds at most 64 KiB of compressed data, read whole.</summary>
    public override int ReadAhead => 64 * 1024 + 64;

    public override Stream Open(Stream compressed) => DecoderFailures.Open(() => new XZStream(compressed), "xz");
}
