using System.Buffers;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Reads one source item whole into one buffer, never past a limit and never much past what it
/// holds, or hands it over as a stream when it is text too large to hold (<see cref="ScanOptions.StreamAbove"/>).
/// Binary content (which may be an archive to expand) is held up to <see cref="ScanOptions.MaxInMemorySize"/>.
/// A length the item claims (or its stream knows) sizes the buffer, with one byte to spare
/// to notice a file that grew while it was read: that length is only a hint. A stream of
/// unknown length (stdin, a pipe) is read in pieces and copied once into a buffer of its size, so
/// an item over a limit costs the limit and one piece, and is dropped or streamed before it is assembled.
/// Buffers come from the shared pool, which rounds sizes up to a power of two: the part past the
/// item is never touched, so it costs address space, not memory.
/// </summary>
internal static class ItemReader
{
    private const int FirstPiece = 64 * 1024;
    private const int LargestPiece = 4 << 20;

    /// <summary>The bytes that tell text from binary (<see cref="TextPosition.LooksBinary"/>).</summary>
    private const int Head = 8000;

    /// <summary>The most bytes one item is held in memory: a buffer is one array.</summary>
    public static long InMemory(ScanOptions options) =>
        Math.Min(Math.Min(options.MaxFileSize, options.MaxInMemorySize), Array.MaxLength - 1);

    /// <returns>The item's bytes or stream, or null when it holds more than --max-file-size.
    /// The caller disposes it.</returns>
    public static ItemContent? Read(SourceItem item, ScanOptions options)
    {
        if (item.FilePath is { } path && item.Length is { } length && length <= options.MaxFileSize
            && length <= Math.Min(options.StreamAbove, InMemory(options)) && ReadFile(path, length) is { } whole)
        {
            return whole;
        }
        var stream = item.Open();
        try
        {
            long? expected = item.Length ?? (stream.CanSeek ? stream.Length - stream.Position : null);
            if (expected > options.MaxFileSize)
            {
                stream.Dispose();
                return null;
            }
            if (expected is not { } size)
            {
                return ReadPieces(stream, [], 0, options);
            }
            if (size > Math.Min(options.StreamAbove, InMemory(options)))
            {
                // Large: its head says whether it is text to stream or binary to hold.
                var head = GC.AllocateUninitializedArray<byte>((int)Math.Min(Head, size));
                int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                ArraySegment<byte> first = head[..got];
                if (!TextPosition.LooksBinary(first) || size > InMemory(options))
                {
                    return ItemContent.Streamed(new PrefixedStream([first], stream));
                }
                return ReadKnown(stream, first, size, options);
            }
            return ReadKnown(stream, default, size, options);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A file of <paramref name="size"/> bytes read whole through a bare handle; null when it
    /// has grown since it was listed (the stream path then reads it as one of unknown length).</summary>
    private static ItemContent? ReadFile(string path, long size)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = ItemBuffer.Rent((int)size + 1, arriving: true);
        int length = 0;
        try
        {
            // One byte more than listed: a read that fills it says the file grew.
            while (length <= size)
            {
                int wanted = (int)size + 1 - length;
                int read = RandomAccess.Read(handle, buffer.Array.AsSpan(length, wanted), length);
                length += read;
                // A file reads short only at its end: with the listed bytes in, a short read needs
                // no second call to say so (one system call per file fewer).
                if (read == 0 || (read < wanted && length == size))
                {
                    break;
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        if (length > size)
        {
            buffer.Dispose();
            return null;
        }
        buffer.Length = length;
        return ItemContent.Whole(buffer);
    }

    /// <summary>Reads an item that claims <paramref name="size"/> bytes, <paramref name="head"/> of them read already.</summary>
    private static ItemContent? ReadKnown(Stream stream, ArraySegment<byte> head, long size, ScanOptions options)
    {
        var buffer = ItemBuffer.Rent((int)size + 1);
        head.AsSpan().CopyTo(buffer.Array);
        int length = head.Count + stream.ReadAtLeast(buffer.Array.AsSpan(head.Count, (int)size + 1 - head.Count), (int)size + 1 - head.Count,
            throwOnEndOfStream: false);
        if (length <= size)
        {
            stream.Dispose();
            buffer.Length = length;
            return ItemContent.Whole(buffer);
        }
        // It grew: what was read is the first piece of a stream of unknown length.
        ArraySegment<byte> first = buffer.Array[..length];
        buffer.Dispose();
        return ReadPieces(stream, [first], length, options);
    }

    private static ItemContent? ReadPieces(Stream stream, List<ArraySegment<byte>> pieces, long total, ScanOptions options)
    {
        int pieceSize = FirstPiece;
        long inMemory = InMemory(options);
        while (true)
        {
            var piece = GC.AllocateUninitializedArray<byte>(pieceSize);
            int read = stream.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false);
            total += read;
            pieces.Add(new ArraySegment<byte>(piece, 0, read));
            if (total > options.MaxFileSize)
            {
                stream.Dispose();
                return null;
            }
            if ((total > options.StreamAbove && !TextPosition.LooksBinary(pieces[0])) || total > inMemory)
            {
                return ItemContent.Streamed(new PrefixedStream(pieces, stream));
            }
            if (read < piece.Length)
            {
                break;
            }
            pieceSize = Math.Min(pieceSize * 2, LargestPiece);
        }
        stream.Dispose();
        var buffer = ItemBuffer.Rent((int)total, arriving: true);
        int at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(buffer.Array, at);
            at += piece.Count;
        }
        buffer.Length = at;
        return ItemContent.Whole(buffer);
    }

    /// <summary>An item read: its bytes whole (<see cref="Buffer"/>), or a stream to match in windows.</summary>
    public sealed class ItemContent : IDisposable
    {
        private ItemContent(ItemBuffer? buffer, Stream? stream)
        {
            Buffer = buffer;
            Stream = stream;
        }

        public ItemBuffer? Buffer { get; }

        public Stream? Stream { get; }

        public static ItemContent Whole(ItemBuffer buffer) => new(buffer, null);

        public static ItemContent Streamed(Stream stream) => new(null, stream);

        public void Dispose()
        {
            Buffer?.Dispose();
            Stream?.Dispose();
        }
    }

    /// <summary>An item's bytes: <see cref="Array"/> up to <see cref="Length"/>, a pooled array
    /// that goes back to the pool on <see cref="Dispose"/>.</summary>
    public sealed class ItemBuffer(byte[] array) : IDisposable
    {
        public byte[] Array { get; } = array;

        public int Length { get; set; }

        public ReadOnlyMemory<byte> Content => Array.AsMemory(0, Length);

        /// <summary>A buffer for <paramref name="size"/> bytes; with <paramref name="arriving"/> (a
        /// file's size, bytes in hand, not a stream's claim) its pages are mapped at once
        /// (<see cref="Matching.NativePages"/>) rather than faulted in one by one.</summary>
        public static ItemBuffer Rent(int size, bool arriving = false)
        {
            var array = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            if (arriving)
            {
                Matching.NativePages.PopulateWrite(array, 0, size);
            }
            return new(array);
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(Array);
    }
}
