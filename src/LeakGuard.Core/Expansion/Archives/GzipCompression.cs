using System.Buffers.Binary;
using System.IO.Compression;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>gzip (.gz, .tgz, .tar.gz), decoded by the framework's GZipStream.</summary>
internal sealed class GzipCompression : StreamCompression
{
    public static readonly GzipCompression Instance = new();

    public override string Name => "gzip";

    protected override string[] Suffixes => [".gz"];

    /// <summary>DeflateStream's input buffer.</summary>
    public override int ReadAhead => 8192;

    public override Stream Open(Stream compressed) => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>ISIZE, the trailer's inflated size (mod 4 GiB).</summary>
    public override long SizeHint(ReadOnlySpan<byte> compressed) =>
        compressed.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]) : 0;
}
