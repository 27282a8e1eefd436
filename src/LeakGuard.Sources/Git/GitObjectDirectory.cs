using System.Buffers;
using System.IO.Compression;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Reads blobs straight from a repository's object directory — its packs and loose objects — on the
/// thread that asks, instead of through a <c>git cat-file</c> process: no pipe to copy a history's
/// bytes through twice, no hand-over between threads, and .NET's zlib inflates faster than the one
/// git links. Deltas are applied against bases kept in a cache shared by the workers (a history read
/// newest first meets each base just before the objects made from it).
/// <para>What it does not read — an object it cannot find (alternates, a pack added during the
/// scan), a layout it does not know, a damaged entry — is null, and the caller asks git, which
/// reads the rest of the object database and explains what is wrong in its own words.</para>
/// </summary>
internal sealed class GitObjectDirectory : IDisposable
{
    private const int TypeCommit = 1;
    private const int TypeTree = 2;
    private const int TypeBlob = 3;
    private const int TypeTag = 4;
    private const int TypeOffsetDelta = 6;
    private const int TypeReferenceDelta = 7;

    /// <summary>The longest chain of deltas followed: git's own default is 50, its aggressive one
    /// 250; a longer chain (or a loop) is not something git wrote.</summary>
    private const int MaxChain = 4096;

    /// <summary>Bytes of applied objects kept as bases for the next deltas, across all threads.</summary>
    private const long CacheBudget = 32 << 20;

    /// <summary>The largest object (blob, or base of one) read here; larger ones are left to git.</summary>
    public const int Largest = 256 << 20;

    /// <summary>How deep alternates may name further alternates (git's own limit).</summary>
    private const int MaxAlternateDepth = 5;

    /// <summary>The repository's object directory, then those its <c>info/alternates</c> name.</summary>
    private readonly string[] _directories;
    private readonly PackFile[] _packs;
    private readonly BaseCache _cache = new(CacheBudget);

    /// <summary>Memory for objects, deltas and compressed entries, used again and again: fresh memory's
    /// first touch costs a page fault (see <see cref="BlobReadAhead"/>).</summary>
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create((int)BlobReadAhead.LargestBlob, 256);

    private GitObjectDirectory(string[] directories, PackFile[] packs)
    {
        _directories = directories;
        _packs = packs;
    }

    /// <summary>Opens the object directory of <paramref name="gitDirectory"/> and its alternates;
    /// null when it has none, or one of its packs is not one this reader takes (git then reads everything).</summary>
    public static GitObjectDirectory? Open(string gitDirectory)
    {
        var directories = new List<string>();
        var packs = new List<PackFile>();
        try
        {
            // A linked work tree's git directory names the repository's own in its commondir file.
            string common = Path.Combine(gitDirectory, "commondir");
            string shared = File.Exists(common) ? Path.Combine(gitDirectory, File.ReadLines(common).FirstOrDefault()?.Trim() ?? ".") : gitDirectory;
            string objects = Path.GetFullPath(Path.Combine(shared, "objects"));
            if (!Directory.Exists(objects))
            {
                return null;
            }
            AddWithAlternates(objects, directories, 0);
            foreach (string directory in directories)
            {
                string packDirectory = Path.Combine(directory, "pack");
                if (Directory.Exists(packDirectory))
                {
                    foreach (string index in Directory.EnumerateFiles(packDirectory, "pack-*.idx").Order(StringComparer.Ordinal))
                    {
                        packs.Add(PackFile.Open(index));
                    }
                }
            }
            return new GitObjectDirectory([.. directories], [.. packs]);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // A pack this reader does not take: git reads every object instead.
            packs.ForEach(p => p.Dispose());
            return null;
        }
    }

    /// <summary>Adds an object directory and, depth first, the ones its <c>info/alternates</c> names
    /// (a path a line, relative to the directory unless absolute; # starts a comment).</summary>
    private static void AddWithAlternates(string objects, List<string> directories, int depth)
    {
        if (directories.Contains(objects, StringComparer.Ordinal) || !Directory.Exists(objects))
        {
            return;
        }
        directories.Add(objects);
        string alternates = Path.Combine(objects, "info", "alternates");
        if (depth >= MaxAlternateDepth || !File.Exists(alternates))
        {
            return;
        }
        foreach (string line in File.ReadLines(alternates).Take(64))
        {
            string alternate = line.Trim();
            if (alternate.Length > 0 && !alternate.StartsWith('#') && !alternate.StartsWith('"'))
            {
                AddWithAlternates(Path.GetFullPath(Path.Combine(objects, alternate)), directories, depth + 1);
            }
        }
    }

    /// <summary>The blob's bytes, which go back to the pool when the stream is disposed; null when
    /// it is not read here (see the class).</summary>
    public Stream? OpenBlob(ObjectId blob)
    {
        try
        {
            var bytes = ReadBlob(blob.RawId);
            return bytes?.OpenRead();
        }
        catch (Exception e) when (NotReadHere(e))
        {
            return null;
        }
    }

    /// <summary>An object's size, from its entry's header or, for a delta, the first bytes of the
    /// delta (which state the result's size); null when it is not read here.</summary>
    public long? SizeOf(ObjectId id)
    {
        try
        {
            if (Find(id.RawId) is not var (pack, offset))
            {
                ReadLooseBlob(id.RawId, out long size, sizeOnly: true);
                return size >= 0 ? size : null;
            }
            var entry = ReadEntry(pack, offset);
            if (entry.Type is not (TypeOffsetDelta or TypeReferenceDelta))
            {
                return entry.Size;
            }
            // The two sizes open the delta: a few bytes of it inflated, from its first compressed ones.
            var input = RentData(pack, entry, 4096);
            try
            {
                using var zlib = new ZLibStream(new MemoryStream(input.Array!, 0, input.Count, writable: false), CompressionMode.Decompress);
                Span<byte> start = stackalloc byte[20];
                start = start[..zlib.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)];
                int at = 0;
                Varint(start, ref at);
                return Varint(start, ref at);
            }
            finally
            {
                _pool.Return(input.Array!);
            }
        }
        catch (Exception e) when (NotReadHere(e))
        {
            return null;
        }
    }

    /// <summary>Damage, a file that cannot be read, or the scan ending: git reads the object, or says what is wrong.</summary>
    private static bool NotReadHere(Exception e) =>
        e is InvalidDataException or IOException or UnauthorizedAccessException or ObjectDisposedException;

    private SharedBytes? ReadBlob(byte[] id) =>
        Find(id) is var (pack, offset) ? ReadPackedBlob(pack, offset) : ReadLooseBlob(id, out _, sizeOnly: false);

    private (PackFile Pack, long Offset)? Find(byte[] id)
    {
        foreach (var pack in _packs)
        {
            if (pack.TryFind(id, out long offset))
            {
                return (pack, offset);
            }
        }
        return null;
    }

    /// <summary>The blob at <paramref name="offset"/> (null when the object there is not one): the
    /// chain of deltas down to a base that is cached or whole, then each delta applied on the way
    /// back up, each result cached.</summary>
    private SharedBytes? ReadPackedBlob(PackFile pack, long offset)
    {
        var chain = new List<(PackFile Pack, long Offset, Entry Entry)>();
        SharedBytes? current = null;
        try
        {
            while (true)
            {
                if (_cache.Get(pack, offset) is { } cached)
                {
                    current = cached;
                    break;
                }
                if (chain.Count >= MaxChain)
                {
                    throw new InvalidDataException("delta chain too long");
                }
                var entry = ReadEntry(pack, offset);
                if (entry.Type is TypeCommit or TypeTree or TypeBlob or TypeTag)
                {
                    if (entry.Size > Largest)
                    {
                        return null;
                    }
                    current = Inflate(pack, entry, entry.Type);
                    _cache.Add(pack, offset, current);
                    break;
                }
                chain.Add((pack, offset, entry));
                if (entry.Type == TypeOffsetDelta)
                {
                    offset = entry.Base;
                }
                else
                {
                    // A base named by id is found wherever it is packed (git stores it in the same pack).
                    if (Find(entry.BaseId) is not { } found)
                    {
                        return null;
                    }
                    (pack, offset) = found;
                }
            }
            // A delta's object is of its base's type.
            if (current.Type != TypeBlob)
            {
                return null;
            }
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                var (deltaPack, deltaOffset, entry) = chain[i];
                var applied = Apply(current, deltaPack, entry);
                current.Release();
                current = applied;
                _cache.Add(deltaPack, deltaOffset, current);
            }
            var result = current;
            current = null;
            return result;
        }
        finally
        {
            current?.Release();
        }
    }

    /// <summary>A pack entry's header: its type, size (inflated) and, for a delta, its base.</summary>
    private readonly record struct Entry(int Type, long Size, long DataStart, long End, long Base, byte[] BaseId);

    private static Entry ReadEntry(PackFile pack, long offset)
    {
        long end = pack.EndOf(offset);
        Span<byte> header = stackalloc byte[32];
        header = header[..(int)Math.Min(header.Length, end - offset)];
        pack.Read(offset, header);
        int at = 0;
        byte c = Next(header, ref at);
        int type = (c >> 4) & 7;
        long size = c & 15;
        for (int shift = 4; (c & 0x80) != 0; shift += 7)
        {
            c = Next(header, ref at);
            if (shift > 56)
            {
                throw new InvalidDataException("object size too large");
            }
            size |= (long)(c & 0x7F) << shift;
        }
        long baseOffset = 0;
        byte[] baseId = [];
        switch (type)
        {
            case TypeOffsetDelta:
                c = Next(header, ref at);
                long back = c & 0x7F;
                while ((c & 0x80) != 0)
                {
                    c = Next(header, ref at);
                    if (back > (long.MaxValue >> 8))
                    {
                        throw new InvalidDataException("delta base offset too large");
                    }
                    back = ((back + 1) << 7) | (long)(c & 0x7F);
                }
                baseOffset = offset - back;
                if (back <= 0 || baseOffset < 12)
                {
                    throw new InvalidDataException("delta base outside the pack");
                }
                break;
            case TypeReferenceDelta:
                if (at + 20 > header.Length)
                {
                    throw new InvalidDataException("pack entry cut short");
                }
                baseId = header.Slice(at, 20).ToArray();
                at += 20;
                break;
            case TypeCommit or TypeTree or TypeBlob or TypeTag:
                break;
            default:
                throw new InvalidDataException($"pack entry of unknown type {type}");
        }
        return new Entry(type, size, offset + at, end, baseOffset, baseId);
    }

    private static byte Next(ReadOnlySpan<byte> header, ref int at) =>
        at < header.Length ? header[at++] : throw new InvalidDataException("pack entry cut short");

    /// <summary>The entry's data inflated: exactly the size its header states, or it is damaged.</summary>
    private SharedBytes Inflate(PackFile pack, Entry entry, int type)
    {
        // Deflate makes at most 1,032 bytes of each byte it holds: a header that states more is
        // damaged, and costs no memory. zlib adds a few bytes a block to what it cannot compress:
        // an entry that spans more (the next offset far away in a hostile index) is read only that far.
        if (entry.Size > (entry.End - entry.DataStart) * 1032 + 64)
        {
            throw new InvalidDataException("object larger than its data could inflate to");
        }
        var input = RentData(pack, entry, entry.Size + entry.Size / 64 + 64);
        var output = new SharedBytes(_pool, (int)entry.Size, type);
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(input.Array!, 0, input.Count, writable: false), CompressionMode.Decompress);
            FillExactly(zlib, output.Span);
            return output;
        }
        catch
        {
            output.Release();
            throw;
        }
        finally
        {
            _pool.Return(input.Array!);
        }
    }

    /// <summary>The entry's compressed bytes, at most <paramref name="limit"/> of them, in an array
    /// from the pool (the caller returns it).</summary>
    private ArraySegment<byte> RentData(PackFile pack, Entry entry, long limit)
    {
        long compressed = Math.Min(entry.End - entry.DataStart, limit);
        if (compressed <= 0 || compressed > int.MaxValue)
        {
            throw new InvalidDataException("pack entry has no data");
        }
        byte[] input = _pool.Rent((int)compressed);
        try
        {
            pack.Read(entry.DataStart, input.AsSpan(0, (int)compressed));
            return new ArraySegment<byte>(input, 0, (int)compressed);
        }
        catch
        {
            _pool.Return(input);
            throw;
        }
    }

    /// <summary>Fills <paramref name="into"/> from an inflating stream, which must hold exactly that much.</summary>
    private static void FillExactly(ZLibStream zlib, Span<byte> into)
    {
        try
        {
            zlib.ReadExactly(into);
            Span<byte> more = stackalloc byte[1];
            if (zlib.Read(more) != 0)
            {
                throw new InvalidDataException("object holds more than its header says");
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("object holds less than its header says");
        }
    }

    /// <summary>Applies a delta (git's format: the base's and the result's sizes, then copies from
    /// the base and literal inserts) to <paramref name="baseBytes"/>.</summary>
    private SharedBytes Apply(SharedBytes baseBytes, PackFile pack, Entry entry)
    {
        if (entry.Size > Largest)
        {
            throw new InvalidDataException("delta larger than the objects read here");
        }
        var delta = Inflate(pack, entry, entry.Type);
        try
        {
            return Apply(baseBytes, delta.Span);
        }
        finally
        {
            delta.Release();
        }
    }

    private SharedBytes Apply(SharedBytes baseBytes, ReadOnlySpan<byte> d)
    {
        int at = 0;
        if (Varint(d, ref at) != baseBytes.Length)
        {
            throw new InvalidDataException("delta made for another base");
        }
        long size = Varint(d, ref at);
        if (size > Largest)
        {
            throw new InvalidDataException("object larger than the objects read here");
        }
        // The instructions are checked before the result's memory is taken: a damaged delta that
        // states a large result costs nothing.
        Instructions(d[at..], baseBytes.Span, size, output: []);
        var target = new SharedBytes(_pool, (int)size, baseBytes.Type);
        try
        {
            Instructions(d[at..], baseBytes.Span, size, target.Span);
            return target;
        }
        catch
        {
            target.Release();
            throw;
        }
    }

    /// <summary>Runs a delta's copies (from the base) and inserts (from the delta) into
    /// <paramref name="output"/>; with no output, only checks that they make exactly
    /// <paramref name="size"/> bytes from inside the base.</summary>
    private static void Instructions(ReadOnlySpan<byte> d, ReadOnlySpan<byte> source, long size, Span<byte> output)
    {
        bool write = output.Length > 0;
        long written = 0;
        int at = 0;
        while (at < d.Length)
        {
            byte op = d[at++];
            if ((op & 0x80) != 0)
            {
                long from = 0, length = 0;
                for (int i = 0; i < 4; i++)
                {
                    if ((op & (1 << i)) != 0)
                    {
                        from |= (long)Next(d, ref at) << (8 * i);
                    }
                }
                for (int i = 0; i < 3; i++)
                {
                    if ((op & (0x10 << i)) != 0)
                    {
                        length |= (long)Next(d, ref at) << (8 * i);
                    }
                }
                if (length == 0)
                {
                    length = 0x10000;
                }
                if (from + length > source.Length || written + length > size)
                {
                    throw new InvalidDataException("delta copies outside its base or result");
                }
                if (write)
                {
                    source.Slice((int)from, (int)length).CopyTo(output[(int)written..]);
                }
                written += length;
            }
            else if (op != 0)
            {
                if (at + op > d.Length || written + op > size)
                {
                    throw new InvalidDataException("delta inserts past its end");
                }
                if (write)
                {
                    d.Slice(at, op).CopyTo(output[(int)written..]);
                }
                at += op;
                written += op;
            }
            else
            {
                throw new InvalidDataException("delta holds a reserved instruction");
            }
        }
        if (written != size)
        {
            throw new InvalidDataException("delta result shorter than it says");
        }
    }

    private static long Varint(ReadOnlySpan<byte> d, ref int at)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 56)
            {
                throw new InvalidDataException("delta size too large");
            }
            byte c = Next(d, ref at);
            value |= (long)(c & 0x7F) << shift;
            if ((c & 0x80) == 0)
            {
                return value;
            }
        }
    }

    /// <summary>A loose blob (<c>objects/ab/cdef…</c>: zlib of "blob size\0" and the bytes); null
    /// when there is none or the object is not a blob.</summary>
    /// <param name="size">The blob's size from its header; -1 when it is not read here.</param>
    /// <param name="sizeOnly">Stop at the header: the bytes are not wanted.</param>
    private SharedBytes? ReadLooseBlob(byte[] id, out long size, bool sizeOnly)
    {
        size = -1;
        string hex = Convert.ToHexStringLower(id);
        FileStream? file = null;
        foreach (string objects in _directories)
        {
            try
            {
                file = new FileStream(Path.Combine(objects, hex[..2], hex[2..]), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                break;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Perhaps in the next directory.
            }
        }
        if (file is null)
        {
            return null;
        }
        using (file)
        using (var zlib = new ZLibStream(file, CompressionMode.Decompress))
        {
            // "blob", a space, up to 20 digits and a NUL: what git writes is shorter than this.
            Span<byte> header = stackalloc byte[32];
            int length = 0;
            int nul;
            while ((nul = header[..length].IndexOf((byte)0)) < 0)
            {
                if (length == header.Length)
                {
                    throw new InvalidDataException("loose object header too long");
                }
                int read = zlib.Read(header.Slice(length, 1));
                if (read == 0)
                {
                    throw new InvalidDataException("loose object cut short");
                }
                length += read;
            }
            var text = header[..nul];
            int space = text.IndexOf((byte)' ');
            if (space < 0 || !long.TryParse(text[(space + 1)..], System.Globalization.NumberStyles.None, null, out long stated))
            {
                throw new InvalidDataException("loose object header unreadable");
            }
            if (!text[..space].SequenceEqual("blob"u8) || stated > Largest)
            {
                return null;
            }
            size = stated;
            if (sizeOnly)
            {
                return null;
            }
            var bytes = new SharedBytes(_pool, (int)size, TypeBlob);
            try
            {
                FillExactly(zlib, bytes.Span);
                return bytes;
            }
            catch
            {
                bytes.Release();
                throw;
            }
        }
    }

    public void Dispose()
    {
        _cache.Clear();
        foreach (var pack in _packs)
        {
            pack.Dispose();
        }
    }

    /// <summary>Applied objects by pack and offset, the least recently used dropped past the budget.</summary>
    private sealed class BaseCache(long budget)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(PackFile, long), LinkedListNode<(PackFile Pack, long Offset, SharedBytes Bytes)>> _entries = [];
        private readonly LinkedList<(PackFile Pack, long Offset, SharedBytes Bytes)> _recent = new();
        private long _bytes;

        /// <summary>The cached object with a reference the caller releases; null when not cached.</summary>
        public SharedBytes? Get(PackFile pack, long offset)
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue((pack, offset), out var node))
                {
                    return null;
                }
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Bytes.AddReference();
            }
        }

        public void Add(PackFile pack, long offset, SharedBytes bytes)
        {
            if (bytes.Length > budget / 4)
            {
                return;
            }
            lock (_gate)
            {
                if (_entries.ContainsKey((pack, offset)))
                {
                    return;
                }
                _entries[(pack, offset)] = _recent.AddFirst((pack, offset, bytes.AddReference()));
                _bytes += bytes.Length;
                while (_bytes > budget && _recent.Last is { } oldest)
                {
                    _recent.RemoveLast();
                    _entries.Remove((oldest.Value.Pack, oldest.Value.Offset));
                    _bytes -= oldest.Value.Bytes.Length;
                    oldest.Value.Bytes.Release();
                }
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                foreach (var entry in _recent)
                {
                    entry.Bytes.Release();
                }
                _recent.Clear();
                _entries.Clear();
                _bytes = 0;
            }
        }
    }
}
