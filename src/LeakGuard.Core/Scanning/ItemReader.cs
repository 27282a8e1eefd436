using System.Buffers;

namespace LeakGuard.Core.Scanning;

/// <summary>Reads one source item whole into a pooled buffer, never past a limit: a length the
/// item claims is only a hint (a file may grow while it is read).</summary>
internal static class ItemReader
{
    /// <summary>The most bytes one item may have: a buffer is one array.</summary>
    public static long Largest(long maxFileSize) => Math.Min(maxFileSize, Array.MaxLength - 1);

    /// <returns>The rented buffer and the length read, or length -1 when the item is larger than
    /// <paramref name="maxSize"/>. The caller returns the buffer to the shared pool.</returns>
    public static (byte[] Buffer, int Length) Read(SourceItem item, long maxSize)
    {
        maxSize = Largest(maxSize);
        using var stream = item.Open();
        long hint = Math.Max(item.Length ?? 64 * 1024, 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxSize + 1, hint + 1));
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxSize)
                {
                    return (buffer, -1);
                }
                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxSize + 1));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return length > maxSize ? (buffer, -1) : (buffer, length);
            }
            length += read;
        }
    }
}
