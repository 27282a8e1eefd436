using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using LeakGuard.Core.Files;

namespace LeakGuard.Core.Protection;

/// <summary>
/// One codebase's fingerprints sorted by hash: the table a scan searches. An index file stores
/// each fingerprint as its 20 bytes (<see cref="ProtectedFingerprint"/>'s layout), in this order,
/// so a loaded table is the file's own bytes, mapped (<see cref="MappedFile"/>), or one read
/// into an array: nothing is parsed field by field or sorted. An index of many codebases searches
/// each table in turn.
/// </summary>
public sealed class FingerprintTable : IReadOnlyList<ProtectedFingerprint>
{
    /// <summary>The bytes of one fingerprint in an index file.</summary>
    internal const int RecordSize = 20;

    private readonly ReadOnlyMemory<ProtectedFingerprint> _records;

    private FingerprintTable(ReadOnlyMemory<ProtectedFingerprint> records) => _records = records;

    public static FingerprintTable Empty { get; } = new(Array.Empty<ProtectedFingerprint>());

    /// <summary>A table of <paramref name="fingerprints"/>, ordered by hash, then file and line.</summary>
    public static FingerprintTable Of(IEnumerable<ProtectedFingerprint> fingerprints) => new(fingerprints.Order().ToArray());

    /// <summary>Reads <paramref name="count"/> fingerprints as an index file stores them, from
    /// <paramref name="stream"/>'s position: in place when the stream is over <paramref name="mapped"/>.</summary>
    /// <remarks>Not checked record by record: the index file's checksum covers the table
    /// (<see cref="ProtectedIndex"/>), and a file a lookup finds it names is checked then.</remarks>
    /// <exception cref="EndOfStreamException">The stream is shorter than the table.</exception>
    internal static FingerprintTable Read(Stream stream, int count, MappedFile? mapped)
    {
        long bytes = (long)count * RecordSize;
        // Checked before allocating: a damaged count must not ask for gigabytes.
        if (stream.CanSeek && bytes > stream.Length - stream.Position)
        {
            throw new EndOfStreamException();
        }
        ReadOnlyMemory<ProtectedFingerprint> records;
        if (mapped is not null && BitConverter.IsLittleEndian)
        {
            records = mapped.Slice<ProtectedFingerprint>(stream.Position, count);
            stream.Seek(bytes, SeekOrigin.Current);
        }
        else
        {
            var read = new ProtectedFingerprint[count];
            stream.ReadExactly(MemoryMarshal.AsBytes(read.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < read.Length; i++)
                {
                    var r = read[i];
                    read[i] = new(BinaryPrimitives.ReverseEndianness(r.Hash), BinaryPrimitives.ReverseEndianness(r.File),
                        BinaryPrimitives.ReverseEndianness(r.StartLine), BinaryPrimitives.ReverseEndianness(r.EndLine));
                }
            }
            records = read;
        }
        return new FingerprintTable(records);
    }

    /// <summary>Writes the table as <see cref="Read"/> reads it.</summary>
    internal void Write(Stream stream)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(_records.Span));
            return;
        }
        Span<byte> record = stackalloc byte[RecordSize];
        foreach (var r in _records.Span)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(record, r.Hash);
            BinaryPrimitives.WriteInt32LittleEndian(record[8..], r.File);
            BinaryPrimitives.WriteInt32LittleEndian(record[12..], r.StartLine);
            BinaryPrimitives.WriteInt32LittleEndian(record[16..], r.EndLine);
            stream.Write(record);
        }
    }

    public int Count => _records.Length;

    public ProtectedFingerprint this[int index] => _records.Span[index];

    internal ReadOnlySpan<ProtectedFingerprint> Records => _records.Span;

    /// <summary>Where <paramref name="hash"/> occurs in this codebase (empty when nowhere).</summary>
    public ReadOnlySpan<ProtectedFingerprint> Lookup(ulong hash)
    {
        // The first record whose hash is not below the one sought, then the run of equal ones.
        var records = _records.Span;
        int low = 0;
        int high = records.Length;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            if (records[middle].Hash < hash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        int end = low;
        while (end < records.Length && records[end].Hash == hash)
        {
            end++;
        }
        return records[low..end];
    }

    public IEnumerator<ProtectedFingerprint> GetEnumerator()
    {
        for (int i = 0; i < _records.Length; i++)
        {
            yield return _records.Span[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
