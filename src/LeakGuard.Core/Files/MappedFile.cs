using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace LeakGuard.Core.Files;

/// <summary>
/// A file mapped into memory, read-only, for files read at random and larger than is worth copying:
/// a protected-code index (its fingerprint tables and filter are read where they lie in the page
/// cache, so loading an index of hundreds of megabytes costs a look at each page to check its
/// checksum rather than a copy into new memory, and scans of one machine share it) and a git pack
/// index (a large repository's is hundreds of megabytes, searched a few entries a blob).
/// The only unsafe code outside the Hyperscan binding: a pointer to the mapping, wrapped as
/// memory once and bounds-checked by the spans made from it. The mapping lives as long as memory
/// made from it; both kinds of file are replaced by rename, never rewritten in place.
/// </summary>
public sealed unsafe class MappedFile
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly byte* _pageStart;

    private MappedFile(MemoryMappedViewAccessor view, long length)
    {
        (_view, Length) = (view, length);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        // The view begins at the page holding offset 0 of the file.
        _pageStart = start;
        _start = start + view.PointerOffset;
    }

    /// <summary>Once no table holds the mapping: the view's own (critical) finalizer unmaps it after this.</summary>
    ~MappedFile() => _view.SafeMemoryMappedViewHandle.ReleasePointer();

    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; null for an empty file, which cannot be mapped.</summary>
    public static MappedFile? Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            return null;
        }
        // The view outlives the file object: a mapping does not need its descriptor open.
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        return new MappedFile(file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), length);
    }

    /// <summary>Maps every page of the file at once, where the kernel can (Linux 5.14 and later;
    /// older ones refuse the advice and each page is faulted in when first read): the pass that
    /// checks an index's checksum reads them all, and a fault per page cost that pass about 20 ms of a
    /// 200 MB index on this project's virtual machine.</summary>
    public void Populate() => Matching.NativePages.PopulateRead(_pageStart, (nuint)(_start - _pageStart + Length));

    /// <summary>The whole file as a read-only stream, for the parts that are parsed (names, files).</summary>
    public Stream OpenStream() => new UnmanagedMemoryStream(_start, Length, Length, FileAccess.Read);

    /// <summary><paramref name="count"/> values of <typeparamref name="T"/> stored from
    /// <paramref name="offset"/> on, in place (fingerprints, the filter's words).</summary>
    public ReadOnlyMemory<T> Slice<T>(long offset, int count) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + (long)count * sizeof(T), Length);
        return new Region<T>(this, (T*)(_start + offset), count).Memory;
    }

    /// <summary>Calls <paramref name="read"/> with the file's first <paramref name="length"/> bytes in
    /// order, where they are mapped, in pieces a span can hold.</summary>
    public void ReadInPieces(long length, Action<ReadOnlySpan<byte>> read)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        for (long at = 0; at < length; at += int.MaxValue)
        {
            read(new ReadOnlySpan<byte>(_start + at, (int)Math.Min(int.MaxValue, length - at)));
        }
    }

    /// <summary>A stretch of the mapping as memory; holding it holds the mapping.</summary>
    private sealed class Region<T>(MappedFile mapping, T* first, int count) : MemoryManager<T> where T : unmanaged
    {
        private readonly MappedFile _mapping = mapping;

        public override Span<T> GetSpan() => new(first, count);

        public override MemoryHandle Pin(int elementIndex = 0) => new(first + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing) => GC.KeepAlive(_mapping);
    }
}
