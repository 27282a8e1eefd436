using System.Buffers;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Reads one source item whole into one buffer, never past a limit and never much past what it
/// holds. A length the item claims (or its stream knows) sizes the buffer, with one byte to spare
/// to notice a file that grew while it was read: that length is only a hint. A stream of
/// unknown length (stdin, a pipe) is read in pieces and copied once into a buffer of its size, so
/// an item over the limit costs the limit and one piece, and is dropped before it is assembled.
/// Buffers come from the shared pool, which rounds sizes up to a power of two: the part past the
/// item is never touched, so it costs address space, not memory.
/// </summary>
internal static class ItemReader
{
    private const int FirstPiece = 64 * 1024;
    private const int LargestPiece = 4 << 20;

    /// <summary>The most bytes one item may have: a buffer is one array.</summary>
    public static long Largest(long maxFileSize) => Math.Min(maxFileSize, Array.MaxLength - 1);

    /// <returns>The item's bytes, or null when it holds more than <paramref name="maxSize"/>. The
    /// caller disposes the buffer.</returns>
    public static ItemBuffer? Read(SourceItem item, long maxSize)
    {
        maxSize = Largest(maxSize);
        using var stream = item.Open();
        long? expected = item.Length ?? (stream.CanSeek ? stream.Length - stream.Position : null);
        if (expected > maxSize)
        {
            return null;
        }
        if (expected is not { } size)
        {
            return ReadPieces(stream, [], 0, maxSize);
        }
        var buffer = ItemBuffer.Rent((int)size + 1);
        int length = stream.ReadAtLeast(buffer.Array.AsSpan(0, (int)size + 1), (int)size + 1, throwOnEndOfStream: false);
        if (length <= size)
        {
            buffer.Length = length;
            return buffer;
        }
        // It grew: what was read is the first piece of a stream of unknown length.
        ArraySegment<byte> first = buffer.Array[..length];
        buffer.Dispose();
        return ReadPieces(stream, [first], length, maxSize);
    }

    private static ItemBuffer? ReadPieces(Stream stream, List<ArraySegment<byte>> pieces, long total, long maxSize)
    {
        int pieceSize = FirstPiece;
        while (true)
        {
            var piece = GC.AllocateUninitializedArray<byte>(pieceSize);
            int read = stream.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false);
            total += read;
            if (total > maxSize)
            {
                return null;
            }
            pieces.Add(new ArraySegment<byte>(piece, 0, read));
            if (read < piece.Length)
            {
                break;
            }
            pieceSize = Math.Min(pieceSize * 2, LargestPiece);
        }
        var buffer = ItemBuffer.Rent((int)total);
        int at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(buffer.Array, at);
            at += piece.Count;
        }
        buffer.Length = at;
        return buffer;
    }

    /// <summary>An item's bytes: <see cref="Array"/> up to <see cref="Length"/>, a pooled array
    /// that goes back to the pool on <see cref="Dispose"/>.</summary>
    public sealed class ItemBuffer(byte[] array) : IDisposable
    {
        public byte[] Array { get; } = array;

        public int Length { get; set; }

        public ReadOnlyMemory<byte> Content => Array.AsMemory(0, Length);

        public static ItemBuffer Rent(int size) => new(ArrayPool<byte>.Shared.Rent(Math.Max(size, 1)));

        public void Dispose() => ArrayPool<byte>.Shared.Return(Array);
    }
}
