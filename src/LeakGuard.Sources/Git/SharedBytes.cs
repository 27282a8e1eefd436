using System.Buffers;

namespace LeakGuard.Sources.Git;

/// <summary>An object's bytes in an array rented from a pool, held by whoever has a reference (the
/// cache of delta bases, a worker scanning it); the array goes back when the last one lets go.</summary>
internal sealed class SharedBytes
{
    private readonly ArrayPool<byte> _pool;
    private readonly byte[] _array;
    private int _references = 1;

    /// <param name="type">The object's type as a pack numbers it (3 is a blob).</param>
    public SharedBytes(ArrayPool<byte> pool, int length, int type)
    {
        _pool = pool;
        _array = length == 0 ? [] : pool.Rent(length);
        Length = length;
        Type = type;
    }

    public int Length { get; }

    public int Type { get; }

    public Span<byte> Span => _array.AsSpan(0, Length);

    public SharedBytes AddReference()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && _array.Length > 0)
        {
            _pool.Return(_array);
        }
    }

    /// <summary>A stream over the bytes that lets go of this reference when disposed.</summary>
    public Stream OpenRead() => new Reader(this);

    private sealed class Reader(SharedBytes bytes) : MemoryStream(bytes._array, 0, bytes.Length, writable: false)
    {
        private SharedBytes? _held = bytes;

        protected override void Dispose(bool disposing)
        {
            Interlocked.Exchange(ref _held, null)?.Release();
            base.Dispose(disposing);
        }
    }
}
