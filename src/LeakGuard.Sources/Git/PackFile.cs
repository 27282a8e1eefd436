using System.Buffers.Binary;
using LeakGuard.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Sources.Git;

/// <summary>
/// One pack of a repository (<c>objects/pack/pack-*.pack</c>) and its index (version 2, the only
/// one git has written since 2007): which objects it holds and where each one's entry starts and
/// ends. Everything read is checked against the files' sizes; anything git would not have written
/// is an <see cref="InvalidDataException"/>, and the caller asks git instead.
/// </summary>
internal sealed class PackFile : IDisposable
{
    private const int IdLength = 20;
    private const int FanoutLength = 256 * 4;
    private const int TrailerLength = 2 * IdLength;

    /// <summary>The index file, mapped (a large repository's is hundreds of megabytes).</summary>
    private readonly ReadOnlyMemory<byte> _index;
    private readonly int _count;
    private readonly int _names;
    private readonly int _offsets;
    private readonly int _largeOffsets;
    private readonly int _largeCount;
    private readonly SafeFileHandle _pack;
    private readonly Lock _gate = new();
    private long[]? _starts;

    private PackFile(ReadOnlyMemory<byte> index, int count, int largeCount, SafeFileHandle pack, long packLength)
    {
        _index = index;
        _count = count;
        _names = 8 + FanoutLength;
        _offsets = _names + count * (IdLength + 4);
        _largeOffsets = _offsets + count * 4;
        _largeCount = largeCount;
        _pack = pack;
        Length = packLength;
    }

    /// <summary>The pack's size in bytes.</summary>
    public long Length { get; }

    /// <summary>Opens a pack by its index's path; throws <see cref="InvalidDataException"/> for an
    /// index or pack this reader does not take, and <see cref="IOException"/> for one it cannot read.</summary>
    public static PackFile Open(string indexPath)
    {
        var index = Map(indexPath);
        if (index.Length < 8 + FanoutLength + TrailerLength || !index.Span[..8].SequenceEqual((ReadOnlySpan<byte>)[0xFF, (byte)'t', (byte)'O', (byte)'c', 0, 0, 0, 2]))
        {
            throw new InvalidDataException($"{indexPath}: not a version 2 pack index");
        }
        uint previous = 0;
        for (int b = 0; b < 256; b++)
        {
            uint up = BinaryPrimitives.ReadUInt32BigEndian(index.Span[(8 + b * 4)..]);
            if (up < previous)
            {
                throw new InvalidDataException($"{indexPath}: fan-out table out of order");
            }
            previous = up;
        }
        // Names, CRCs and offsets, then 8-byte offsets for those past 2 GiB, then two checksums.
        long fixedPart = 8L + FanoutLength + previous * (long)(IdLength + 4 + 4) + TrailerLength;
        if (previous > int.MaxValue / (IdLength + 8) || fixedPart > index.Length || (index.Length - fixedPart) % 8 != 0)
        {
            throw new InvalidDataException($"{indexPath}: size does not match its {previous:N0} objects");
        }
        int count = (int)previous;
        int largeCount = (int)((index.Length - fixedPart) / 8);
        string packPath = Path.ChangeExtension(indexPath, ".pack");
        var pack = File.OpenHandle(packPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            long length = RandomAccess.GetLength(pack);
            Span<byte> header = stackalloc byte[12];
            if (length < 12 + IdLength || RandomAccess.Read(pack, header, 0) != 12 || !header[..4].SequenceEqual("PACK"u8)
                || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) is not (2 or 3) || BinaryPrimitives.ReadUInt32BigEndian(header[8..]) != (uint)count)
            {
                throw new InvalidDataException($"{packPath}: not the pack its index describes");
            }
            return new PackFile(index, count, largeCount, pack, length);
        }
        catch
        {
            pack.Dispose();
            throw;
        }
    }

    /// <summary>The index file's bytes: mapped, except where a mapped file cannot be replaced (Windows).</summary>
    private static ReadOnlyMemory<byte> Map(string path)
    {
        if (!OperatingSystem.IsWindows() && new FileInfo(path).Length is > 0 and <= int.MaxValue && MappedFile.Open(path) is { } mapped)
        {
            return mapped.Slice<byte>(0, (int)mapped.Length);
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>Where the object's entry starts in the pack; false when the pack does not hold it.</summary>
    public bool TryFind(ReadOnlySpan<byte> id, out long offset)
    {
        offset = 0;
        var index = _index.Span;
        int low = id[0] == 0 ? 0 : (int)BinaryPrimitives.ReadUInt32BigEndian(index[(8 + (id[0] - 1) * 4)..]);
        int high = (int)BinaryPrimitives.ReadUInt32BigEndian(index[(8 + id[0] * 4)..]) - 1;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            int order = index.Slice(_names + middle * IdLength, IdLength).SequenceCompareTo(id);
            if (order == 0)
            {
                offset = OffsetAt(middle);
                return true;
            }
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return false;
    }

    private long OffsetAt(int position)
    {
        uint small = BinaryPrimitives.ReadUInt32BigEndian(_index.Span[(_offsets + position * 4)..]);
        if ((small & 0x80000000) == 0)
        {
            return Checked(small);
        }
        int large = (int)(small & 0x7FFFFFFF);
        if (large >= _largeCount)
        {
            throw new InvalidDataException("pack index names a large offset it does not hold");
        }
        return Checked(BinaryPrimitives.ReadInt64BigEndian(_index.Span[(_largeOffsets + large * 8)..]));
    }

    private long Checked(long offset) =>
        offset >= 12 && offset < Length - IdLength ? offset : throw new InvalidDataException($"pack offset {offset:N0} is outside the pack");

    /// <summary>Where the entry at <paramref name="offset"/> ends: where the next one starts, or the
    /// pack's checksum. Worked out once per pack from every object's offset, in order.</summary>
    public long EndOf(long offset)
    {
        long[] starts = _starts ?? Starts();
        int at = Array.BinarySearch(starts, offset);
        if (at < 0)
        {
            throw new InvalidDataException($"no object starts at pack offset {offset:N0}");
        }
        return at + 1 < starts.Length ? starts[at + 1] : Length - IdLength;
    }

    private long[] Starts()
    {
        lock (_gate)
        {
            if (_starts is null)
            {
                var starts = new long[_count];
                for (int i = 0; i < _count; i++)
                {
                    starts[i] = OffsetAt(i);
                }
                Array.Sort(starts);
                _starts = starts;
            }
            return _starts;
        }
    }

    /// <summary>Reads the pack's bytes at <paramref name="offset"/> into <paramref name="into"/>, all of them.</summary>
    public void Read(long offset, Span<byte> into)
    {
        if (offset < 0 || offset + into.Length > Length)
        {
            throw new InvalidDataException($"pack entry at {offset:N0} runs past the pack's end");
        }
        while (!into.IsEmpty)
        {
            int read = RandomAccess.Read(_pack, into, offset);
            if (read == 0)
            {
                throw new InvalidDataException("the pack ended early (was it rewritten during the scan?)");
            }
            into = into[read..];
            offset += read;
        }
    }

    public void Dispose() => _pack.Dispose();
}
