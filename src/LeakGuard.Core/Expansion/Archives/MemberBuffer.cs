using System.Buffers;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// The bytes of one member as they are inflated, in a pooled array: fresh memory costs a page
/// fault per 4 KiB on first write (on this project's VM, ~3 ms per MB: more than inflating it), so a
/// large member reuses the array of one scanned before it. Pooled arrays are not zeroed, so a size
/// the archive declares can presize the buffer (no regrowing, no copy out) and still costs memory
/// only for the bytes that actually arrive: a member that declares 200 MB and is cut off after
/// 4 MiB holds 4 MiB. Whoever holds the buffer last gives it back (<see cref="Return"/>).
/// </summary>
internal sealed class MemberBuffer(long sizeHint)
{
    private byte[] _bytes = sizeHint > 0 ? ArrayPool<byte>.Shared.Rent((int)sizeHint) : [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Content => _bytes.AsMemory(0, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _bytes.Length - Length)
        {
            long grown = Math.Max((long)Length + data.Length, Math.Max(64 * 1024, 2L * _bytes.Length));
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(grown, Array.MaxLength));
            _bytes.AsSpan(0, Length).CopyTo(larger);
            Give(_bytes);
            _bytes = larger;
        }
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes from <paramref name="stream"/>; false
    /// when it ends sooner.</summary>
    public bool Fill(Stream stream, int length)
    {
        if (_bytes.Length < length)
        {
            Give(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(length);
        }
        Length = stream.ReadAtLeast(_bytes.AsSpan(0, length), length, throwOnEndOfStream: false);
        return Length == length;
    }

    /// <summary>Gives the array back to the pool: nothing may read <see cref="Content"/> after this.</summary>
    public void Return()
    {
        Give(_bytes);
        _bytes = [];
        Length = 0;
    }

    private static void Give(byte[] bytes)
    {
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
