using ZstdSharp;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>Zstandard (.zst, .tzst, .tar.zst), decoded by ZstdSharp. Frames that need a window
/// over zstd's default limit (128 MiB: written with --long=28 or more) are refused by the
/// decoder, so a header cannot make it allocate more.</summary>
internal sealed class ZstdCompression : StreamCompression
{
    public static readonly ZstdCompression Instance = new();

    /// <summary>The decoder's input buffer; small, so that what it reads ahead says little about a member.</summary>
    private const int InputBuffer = 8192;

    public override string Name => "zstd";

    protected override string[] Suffixes => [".zst", ".zstd"];

    /// <summary>The input buffer, and one compressed block (at most 128 KiB) the decoder gathers
    /// before it inflates it.</summary>
    public override int ReadAhead => InputBuffer + (128 * 1024);

    public override Stream Open(Stream compressed) =>
        DecoderFailures.Open(() => new DecompressionStream(compressed, InputBuffer, checkEndOfStream: true, leaveOpen: true), "zstd");
}
