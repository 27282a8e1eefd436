using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LeakGuard.Core.Protection;

/// <summary>
/// XXH64 (the published algorithm; equal to <see cref="System.IO.Hashing.XxHash64"/>, which a
/// test checks), written here because a scan hashes a whole index file once, at start-up, cold:
/// the library's hashes ran their first call on a 229 MB index as unoptimised code (0.4–0.5 s),
/// while this loop is compiled optimised before its first run (~30 ms for that file).
/// </summary>
internal sealed class IndexChecksum
{
    private const ulong P1 = 0x9E3779B185EBCA87;
    private const ulong P2 = 0xC2B2AE3D27D4EB4F;
    private const ulong P3 = 0x165667B19E3779F9;
    private const ulong P4 = 0x85EBCA77C2B2AE63;
    private const ulong P5 = 0x27D4EB2F165667C5;
    private const int Stripe = 32;

    private ulong _v1 = unchecked(P1 + P2), _v2 = P2, _v3 = 0, _v4 = unchecked(0 - P1);
    private ulong _length;
    private readonly byte[] _pending = new byte[Stripe];
    private int _pendingCount;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ReadOnlySpan<byte> data)
    {
        _length += (ulong)data.Length;
        if (_pendingCount > 0)
        {
            int take = Math.Min(Stripe - _pendingCount, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            data = data[take..];
            if (_pendingCount < Stripe)
            {
                return;
            }
            Stripes(_pending);
            _pendingCount = 0;
        }
        int whole = data.Length / Stripe * Stripe;
        Stripes(data[..whole]);
        data[whole..].CopyTo(_pending);
        _pendingCount = data.Length - whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Stripes(ReadOnlySpan<byte> data)
    {
        ulong v1 = _v1, v2 = _v2, v3 = _v3, v4 = _v4;
        for (int i = 0; i + Stripe <= data.Length; i += Stripe)
        {
            v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
            v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 8)..]));
            v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 16)..]));
            v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 24)..]));
        }
        (_v1, _v2, _v3, _v4) = (v1, v2, v3, v4);
    }

    /// <summary>The hash of everything appended so far.</summary>
    public ulong Current
    {
        get
        {
            ulong h = _length >= Stripe
                ? Merge(Merge(Merge(Merge(BitOperations.RotateLeft(_v1, 1) + BitOperations.RotateLeft(_v2, 7)
                    + BitOperations.RotateLeft(_v3, 12) + BitOperations.RotateLeft(_v4, 18), _v1), _v2), _v3), _v4)
                : P5;
            h += _length;
            var rest = _pending.AsSpan(0, _pendingCount);
            for (; rest.Length >= 8; rest = rest[8..])
            {
                h ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(rest));
                h = BitOperations.RotateLeft(h, 27) * P1 + P4;
            }
            if (rest.Length >= 4)
            {
                h ^= BinaryPrimitives.ReadUInt32LittleEndian(rest) * P1;
                h = BitOperations.RotateLeft(h, 23) * P2 + P3;
                rest = rest[4..];
            }
            foreach (byte b in rest)
            {
                h ^= b * P5;
                h = BitOperations.RotateLeft(h, 11) * P1;
            }
            h ^= h >> 33;
            h *= P2;
            h ^= h >> 29;
            h *= P3;
            return h ^ (h >> 32);
        }
    }

    private static ulong Round(ulong accumulator, ulong input) => BitOperations.RotateLeft(accumulator + input * P2, 31) * P1;

    private static ulong Merge(ulong h, ulong v) => (h ^ Round(0, v)) * P1 + P4;
}
