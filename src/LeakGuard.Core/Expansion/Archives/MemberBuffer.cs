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

    // How far ahead of the data the array's pages are mapped in one call (NativePages): a fault
    // per 4 KiB cost a 60 MB source map ~150 ms; mapping only ahead of what arrived keeps the
    // memory a declared-but-cut-off member costs to what arrived plus this.
    private const int MapAhead = 8 << 20;
    private int _mapped;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _bytes.Length - Length)
        {
            long grown = Math.Max((long)Length + data.Length, Math.Max(64 * 1024, 2L * _bytes.Length));
            var old = _bytes;
            _bytes = ArrayPool<byte>.Shared.Rent((int)Math.Min(grown, Array.MaxLength));
            _mapped = 0;
            MapUpTo(Length + data.Length);
            old.AsSpan(0, Length).CopyTo(_bytes);
            Give(old);
        }
        MapUpTo(Length + data.Length);
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>Up to <paramref name="most"/> bytes of the array's free part, to read into directly
    /// (then <see cref="Advance"/>); empty when it is full (read elsewhere and <see cref="Append"/>:
    /// a buffer is grown only for bytes that arrive).</summary>
    public Span<byte> Free(int most)
    {
        int length = Math.Min(most, _bytes.Length - Length);
        MapUpTo(Length + length);
        return _bytes.AsSpan(Length, length);
    }

    /// <summary>Counts <paramref name="count"/> bytes read into <see cref="Free"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _bytes.Length - Length);
        Length += count;
    }

    private void MapUpTo(int end)
    {
        if (end > _mapped)
        {
            int upTo = (int)Math.Min(_bytes.Length, Math.Max(end, (long)_mapped + MapAhead));
            Matching.NativePages.PopulateWrite(_bytes, _mapped, upTo - _mapped);
            _mapped = upTo;
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes from <paramref name="stream"/>; false
    /// when it ends sooner.</summary>
    public bool Fill(Stream stream, int length)
    {
        if (_bytes.Length < length)
        {
            Give(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(length);
            _mapped = 0;
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
        _mapped = 0;
    }

    private static void Give(byte[] bytes)
    {
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
