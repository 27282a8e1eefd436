using System.Buffers;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Core.Files;

/// <summary>
/// A file mapped into memory, read-only, for files read at random and larger than is worth copying:
/// a protected-code index (its fingerprint tables and filter are read where they lie in the page
/// cache, so loading an index of hundreds of megabytes costs no copy into new memory and only the
/// pages a scan looks up are mapped in; scans of one machine share them) and a git pack
/// index (a large repository's is hundreds of megabytes, searched a few entries a blob).
/// The only unsafe code outside the Hyperscan binding: a pointer to the mapping, wrapped as
/// memory once and bounds-checked by the spans made from it. The mapping lives as long as memory
/// made from it; both kinds of file are replaced by rename, never rewritten in place.
/// </summary>
public sealed unsafe class MappedFile
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    private MappedFile(MemoryMappedViewAccessor view, long length)
    {
        (_view, Length) = (view, length);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        // The view begins at the page holding offset 0 of the file.
        _start = start + view.PointerOffset;
    }

    /// <summary>Once no table holds the mapping: the view's own (critical) finalizer unmaps it after this.</summary>
    ~MappedFile() => _view.SafeMemoryMappedViewHandle.ReleasePointer();

    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; null for an empty file, which cannot be mapped.</summary>
    public static MappedFile? Open(string path)
    {
        using var handle = File.OpenHandle(path);
        return Open(handle);
    }

    /// <summary>Maps the file <paramref name="handle"/> has open (which stays the caller's, to
    /// read the same file through); null for an empty file.</summary>
    public static MappedFile? Open(SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            return null;
        }
        // The view outlives the mapping object: a mapping does not need its descriptor open.
        using var file = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        return new MappedFile(file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), length);
    }

    /// <summary>The whole file as a read-only stream, for the parts that are parsed (names, files).</summary>
    public Stream OpenStream() => new UnmanagedMemoryStream(_start, Length, Length, FileAccess.Read);

    /// <summary><paramref name="count"/> values of <typeparamref name="T"/> stored from
    /// <paramref name="offset"/> on, in place (fingerprints, the filter's words).</summary>
    public ReadOnlyMemory<T> Slice<T>(long offset, int count) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + (long)count * sizeof(T), Length);
        return new Region<T>(this, (T*)(_start + offset), count).Memory;
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
