using System.Buffers;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Collects the checkpoints of a linear <see cref="OffsetMap"/> while text is decoded left to
/// right: one after each escape, where decoded and original offsets drift apart. A file can hold
/// millions of escapes, so the lists grow in pooled buffers and are copied once, at their final
/// size, by <see cref="Build"/>.
/// </summary>
internal sealed class LinearOffsetMapBuilder
{
    private int[] _decoded = ArrayPool<int>.Shared.Rent(16);
    private int[] _original = ArrayPool<int>.Shared.Rent(16);
    private int _count;

    public LinearOffsetMapBuilder() => Add(0, 0);

    /// <summary>From <paramref name="decoded"/> on, decoded offsets advance one to one with
    /// original offsets starting at <paramref name="original"/>.</summary>
    public void Add(int decoded, int original)
    {
        if (_count > 0 && _decoded[_count - 1] == decoded)
        {
            // A new line starting where the last escape ended: the later checkpoint wins.
            _original[_count - 1] = original;
            return;
        }
        if (_count == _decoded.Length)
        {
            _decoded = Grow(_decoded, _count);
            _original = Grow(_original, _count);
        }
        _decoded[_count] = decoded;
        _original[_count] = original;
        _count++;
    }

    /// <summary>The finished map; the builder must not be used afterwards.</summary>
    public OffsetMap Build()
    {
        var map = new OffsetMap(_decoded.AsSpan(0, _count).ToArray(), _original.AsSpan(0, _count).ToArray(), linear: true);
        ArrayPool<int>.Shared.Return(_decoded);
        ArrayPool<int>.Shared.Return(_original);
        _decoded = _original = [];
        _count = 0;
        return map;
    }

    private static int[] Grow(int[] values, int count)
    {
        int[] bigger = ArrayPool<int>.Shared.Rent(values.Length * 2);
        values.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<int>.Shared.Return(values);
        return bigger;
    }
}
