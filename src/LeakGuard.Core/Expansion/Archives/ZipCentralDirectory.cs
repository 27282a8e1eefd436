using System.Buffers.Binary;
using System.Text;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>One record of a zip's central directory.</summary>
internal readonly record struct ZipEntry(string Name, int Method, bool Encrypted, long CompressedSize, long Size, long LocalHeaderOffset)
{
    public const int Stored = 0;
    public const int Deflated = 8;
}

/// <summary>
/// Reads a zip's central directory one record at a time, from the end-of-central-directory record
/// (zip64 included). System.IO.Compression's ZipArchive reads every record into an entry object
/// before the first can be opened — 4 million records cost 2 GB — and one damaged record loses the
/// whole archive; here a caller that stops (at the member cap) has read nothing further, and the
/// records before a damaged one have been handed out. Folders are passed over without their names
/// being decoded. Offsets and sizes are checked against the archive before they are used.
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint RecordSignature = 0x02014b50;
    private const uint LocalSignature = 0x04034b50;
    private const int EndLength = 22;
    private const int RecordLength = 46;
    private const int LocalLength = 30;

    /// <summary>The files of <paramref name="zip"/>, lazily, in directory order.</summary>
    /// <exception cref="InvalidDataException">(while enumerating) the directory is missing or a record is damaged.</exception>
    public static IEnumerable<ZipEntry> Files(ReadOnlyMemory<byte> zip)
    {
        var (count, offset) = Locate(zip.Span);
        for (long i = 0; i < count; i++)
        {
            var (entry, next) = Record(zip.Span, offset, i);
            offset = next;
            if (entry is { } file)
            {
                yield return file;
            }
        }
    }

    /// <summary>The compressed bytes of <paramref name="entry"/>, found through its local header.</summary>
    /// <exception cref="InvalidDataException">The local header is damaged or the data lies past the end.</exception>
    public static ReadOnlyMemory<byte> Data(ReadOnlyMemory<byte> zip, ZipEntry entry)
    {
        var span = zip.Span;
        long at = entry.LocalHeaderOffset;
        if (at < 0 || at > span.Length - LocalLength || BinaryPrimitives.ReadUInt32LittleEndian(span[(int)at..]) != LocalSignature)
        {
            throw new InvalidDataException($"no local header at offset {at:N0}");
        }
        long start = at + LocalLength + BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(at + 26)..]) + BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(at + 28)..]);
        if (entry.CompressedSize < 0 || start > span.Length - entry.CompressedSize)
        {
            throw new InvalidDataException($"its {entry.CompressedSize:N0} compressed bytes at offset {start:N0} lie past the end of the archive");
        }
        return zip.Slice((int)start, (int)entry.CompressedSize);
    }

    /// <summary>How many records the directory holds and where the first is.</summary>
    private static (long Count, long Offset) Locate(ReadOnlySpan<byte> zip)
    {
        // The end record is the last thing in the file, followed only by a comment of up to 64 KiB.
        int lowest = Math.Max(0, zip.Length - EndLength - ushort.MaxValue);
        for (int at = zip.Length - EndLength; at >= lowest; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip[at..]) != EndSignature)
            {
                continue;
            }
            var end = zip[at..];
            long count = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
            if ((count == ushort.MaxValue || offset == uint.MaxValue) && Zip64(zip, at) is { } wide)
            {
                (count, offset) = wide;
            }
            if (offset > at)
            {
                throw new InvalidDataException($"the central directory offset {offset:N0} lies past its end record");
            }
            return (count, offset);
        }
        throw new InvalidDataException("no end of central directory record");
    }

    /// <summary>The zip64 end record's count and offset, when a locator precedes the end record.</summary>
    private static (long Count, long Offset)? Zip64(ReadOnlySpan<byte> zip, int endAt)
    {
        int locatorAt = endAt - 20;
        if (locatorAt < 0 || BinaryPrimitives.ReadUInt32LittleEndian(zip[locatorAt..]) != Zip64LocatorSignature)
        {
            return null;
        }
        ulong at = BinaryPrimitives.ReadUInt64LittleEndian(zip[(locatorAt + 8)..]);
        if (locatorAt < 56 || at > (ulong)(locatorAt - 56) || BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)at..]) != Zip64EndSignature)
        {
            throw new InvalidDataException("the zip64 end of central directory record is missing");
        }
        var end = zip[(int)at..];
        return (AsLength(BinaryPrimitives.ReadUInt64LittleEndian(end[32..])), AsLength(BinaryPrimitives.ReadUInt64LittleEndian(end[48..])));
    }

    /// <summary>Reads the record at <paramref name="at"/>: the file it describes (null for a
    /// folder) and where the next record starts.</summary>
    private static (ZipEntry? Entry, long Next) Record(ReadOnlySpan<byte> zip, long at, long index)
    {
        if (at > zip.Length - RecordLength || BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)at..]) != RecordSignature)
        {
            throw new InvalidDataException($"central directory record {index:N0} at offset {at:N0} is damaged");
        }
        var record = zip[(int)at..];
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(record[28..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(record[30..]);
        int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[32..]);
        long next = at + RecordLength + nameLength + extraLength + commentLength;
        if (next > zip.Length)
        {
            throw new InvalidDataException($"central directory record {index:N0} at offset {at:N0} is truncated");
        }
        var name = record.Slice(RecordLength, nameLength);
        if (nameLength > 0 && name[^1] == '/')
        {
            return (null, next);
        }
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(record[20..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(record[24..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(record[42..]);
        ReadZip64Extra(record.Slice(RecordLength + nameLength, extraLength), ref size, ref compressed, ref offset);
        var entry = new ZipEntry(
            Encoding.UTF8.GetString(name),
            BinaryPrimitives.ReadUInt16LittleEndian(record[10..]),
            (BinaryPrimitives.ReadUInt16LittleEndian(record[8..]) & 1) != 0,
            compressed,
            size,
            offset);
        return (entry, next);
    }

    /// <summary>The zip64 extra field holds, in this order, each of size, compressed size and
    /// offset whose 32-bit field is saturated.</summary>
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int length = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]), extra.Length - 4);
            var data = extra.Slice(4, length);
            extra = extra[(4 + length)..];
            if (id != 1)
            {
                continue;
            }
            size = Wide(size, ref data);
            compressed = Wide(compressed, ref data);
            offset = Wide(offset, ref data);
            return;
        }
    }

    /// <summary>The 64-bit value that replaces a saturated 32-bit field, taken from the front of <paramref name="data"/>.</summary>
    private static long Wide(long field, ref ReadOnlySpan<byte> data)
    {
        if (field != uint.MaxValue || data.Length < 8)
        {
            return field;
        }
        long value = AsLength(BinaryPrimitives.ReadUInt64LittleEndian(data));
        data = data[8..];
        return value;
    }

    private static long AsLength(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
