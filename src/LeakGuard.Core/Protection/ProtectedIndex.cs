using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using LeakGuard.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Core.Protection;

/// <summary>One file of a protected codebase: its path in the codebase and its number of lines.</summary>
public sealed record ProtectedFile(string Path, int Lines);

/// <summary>A fingerprint of a protected codebase: where in which of its files it came from.
/// Packed to 20 bytes: the layout an index file stores it in (<see cref="FingerprintTable"/>).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct ProtectedFingerprint(ulong Hash, int File, int StartLine, int EndLine) : IComparable<ProtectedFingerprint>
{
    public int CompareTo(ProtectedFingerprint other) =>
        Hash.CompareTo(other.Hash) is var byHash and not 0 ? byHash
        : File.CompareTo(other.File) is var byFile and not 0 ? byFile
        : StartLine.CompareTo(other.StartLine) is var byLine and not 0 ? byLine : EndLine.CompareTo(other.EndLine);
}

/// <summary>A codebase whose copies are to be found: what it was built from, its files, its
/// fingerprints (already stripped of those common to many of its files) and its canaries.</summary>
public sealed record ProtectedCodebase(
    string Name,
    IReadOnlyList<string> Sources,
    DateTimeOffset Added,
    long Bytes,
    IReadOnlyList<ProtectedFile> Files,
    FingerprintTable Fingerprints,
    IReadOnlyList<string> Canaries);

/// <summary>
/// The protected codebases, each with its sorted table of fingerprints, and one bit filter over
/// all of them for lookups during a scan. Kept in one binary file (<see cref="Save"/>, <see cref="Load"/>) that the CLI names with
/// <c>--protected</c>; changing it writes a new file and renames it over the old, so a scan never
/// reads half an index.
/// </summary>
public sealed class ProtectedIndex
{
    /// <summary>2: the filter and a checksum are stored after the codebases.</summary>
    private static readonly byte[] Magic = "LGPROT2\n"u8.ToArray();

    private static readonly byte[][] OlderMagic = ["LGPROT1\n"u8.ToArray()];

    /// <summary>Names are what findings and commands call a codebase: short, no control characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>A blocked Bloom filter over every fingerprint held: nearly every fingerprint of a
    /// scanned file is in no protected codebase, and this says so without a search. Each
    /// fingerprint sets three bits of one 64-bit word, so a lookup reads one word. Stored in the
    /// index file and read where it is mapped: building it at load was most of a load's cost.</summary>
    private readonly ReadOnlyMemory<ulong> _filter;
    private readonly int _filterWords;

    /// <summary>Checks a loaded file's checksum in the background; lookups wait for it.</summary>
    private readonly Task? _checking;

    public IReadOnlyList<ProtectedCodebase> Codebases { get; }

    public static ProtectedIndex Empty { get; } = new([]);

    /// <summary>An index of codebases built in memory (their tables are sorted as they are made).</summary>
    public ProtectedIndex(IReadOnlyList<ProtectedCodebase> codebases)
    {
        Codebases = codebases;
        Count = codebases.Sum(c => c.Fingerprints.Count);
        // 16 to 32 bits per fingerprint: about one miss in a hundred passes.
        int wordBits = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, Count) / 4), 6, 28);
        var filter = new ulong[1 << wordBits];
        _filterWords = filter.Length;
        foreach (var codebase in codebases)
        {
            foreach (ref readonly var fingerprint in codebase.Fingerprints.Records)
            {
                filter[FilterWord(fingerprint.Hash)] |= FilterBits(fingerprint.Hash);
            }
        }
        _filter = filter;
    }

    /// <summary>An index read from a file, with the filter it stores.</summary>
    private ProtectedIndex(IReadOnlyList<ProtectedCodebase> codebases, ReadOnlyMemory<ulong> filter, Task? checking)
    {
        Codebases = codebases;
        Count = codebases.Sum(c => c.Fingerprints.Count);
        (_filter, _filterWords, _checking) = (filter, filter.Length, checking);
    }

    /// <summary>Waits for the check of an index loaded with its checksum checked in the background.</summary>
    /// <exception cref="InvalidDataException">The file is damaged.</exception>
    public void WaitChecked() => _ = Filter;

    private ReadOnlySpan<ulong> Filter
    {
        get
        {
            if (_checking is { IsCompletedSuccessfully: false } checking)
            {
                checking.GetAwaiter().GetResult();
            }
            return _filter.Span;
        }
    }

    /// <summary>Fingerprints in the tables, all codebases together.</summary>
    public int Count { get; }

    /// <summary>Whether <paramref name="hash"/> may be in a codebase (false: certainly in none).</summary>
    public bool MayHold(ulong hash)
    {
        ulong bits = FilterBits(hash);
        return (Filter[FilterWord(hash)] & bits) == bits;
    }

    /// <summary>Appends to <paramref name="into"/> the positions of the <paramref name="fingerprints"/>
    /// that may be held. The filter's words for a batch are worked out first and then read
    /// together: each read is a cache miss in a filter of tens of megabytes, and issued together
    /// the misses overlap instead of following one another (with a 197 MB index, the lookup's
    /// share of a scan's CPU samples fell from 2.5–3.9 % to 0.8–1.1 %).</summary>
    public void MayHold(ReadOnlySpan<KeptRun> fingerprints, List<int> into)
    {
        var filter = Filter;
        Span<int> words = stackalloc int[64];
        for (int from = 0; from < fingerprints.Length; from += words.Length)
        {
            var batch = fingerprints.Slice(from, Math.Min(words.Length, fingerprints.Length - from));
            for (int i = 0; i < batch.Length; i++)
            {
                words[i] = FilterWord(batch[i].Hash);
            }
            for (int i = 0; i < batch.Length; i++)
            {
                ulong bits = FilterBits(batch[i].Hash);
                if ((filter[words[i]] & bits) == bits)
                {
                    into.Add(from + i);
                }
            }
        }
    }

    // The word grows with the hash, so building the filter from tables sorted by hash
    // writes it front to back, not at a random word per fingerprint. Winnowing
    // keeps the smallest hash of each window, so fingerprints crowd the low hashes: a kept hash h
    // falls below x about as often as 1 - (1 - x)^7 (measured on indexes of npm's and Python's
    // code: every sixteenth of the words then holds 4 to 7 % of the fingerprints, not 0.1 to 37 %),
    // and that is the word's place; the three bits come from the low 18 bits, evenly spread.
    private int FilterWord(ulong hash)
    {
        // In doubles: what x64 code compiled ahead of time does fast (its 128-bit multiplies are
        // software). Each step is monotonic, so the word is too.
        double rest = (long)(~hash >> 11) * (1.0 / (1L << 53));
        double rest2 = rest * rest;
        double rest7 = rest2 * rest2 * rest2 * rest;
        return Math.Min((int)((1.0 - rest7) * _filterWords), _filterWords - 1);
    }

    private static ulong FilterBits(ulong hash) => (1UL << (int)(hash & 63)) | (1UL << (int)((hash >> 6) & 63)) | (1UL << (int)((hash >> 12) & 63));

    /// <summary>This index with <paramref name="codebase"/> added, replacing one of the same name.</summary>
    public ProtectedIndex With(ProtectedCodebase codebase) =>
        new([.. Codebases.Where(c => c.Name != codebase.Name), codebase]);

    /// <summary>This index without the codebase named <paramref name="name"/>; null when it has none.</summary>
    public ProtectedIndex? Without(string name) =>
        Codebases.Any(c => c.Name == name) ? new([.. Codebases.Where(c => c.Name != name)]) : null;

    /// <summary>Checks a codebase name: what the CLI accepts and findings show.</summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "a codebase name cannot be empty"
        : name.Length > MaxNameLength ? $"a codebase name is at most {MaxNameLength} characters"
        : name.Any(char.IsControl) ? "a codebase name cannot hold control characters"
        : null;

    /// <summary>An index file, mapped: its tables and filter are read in place (<see cref="MappedFile"/>).</summary>
    /// <param name="checkInBackground">Check the file's checksum on another thread while the
    /// caller gets on (a scan loads its rules): <see cref="WaitChecked"/> reports damage, and the
    /// first lookup waits for it.</param>
    /// <exception cref="InvalidDataException">The file is not an index this version wrote, or is damaged.</exception>
    public static ProtectedIndex Load(string path, bool checkInBackground = false)
    {
        // Windows keeps a mapped file from being replaced, and `protect add` replaces the index it read.
        if (OperatingSystem.IsWindows())
        {
            using var file = File.OpenRead(path);
            return Read(file, path);
        }
        // The checksum is read through this handle, so it covers the file that was mapped even if
        // `protect add` replaces the path meanwhile; the check closes it.
        var handle = File.OpenHandle(path);
        try
        {
            if (MappedFile.Open(handle) is not { } mapped)
            {
                using var file = new FileStream(handle, FileAccess.Read);
                return Read(file, path);
            }
            using var stream = mapped.OpenStream();
            return Read(stream, path, mapped, handle, checkInBackground);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>An index from bytes <see cref="ToBytes"/> wrote (the copy a store keeps).</summary>
    /// <param name="name">What messages call it.</param>
    /// <exception cref="InvalidDataException">The bytes are not an index this version wrote, or are damaged.</exception>
    public static ProtectedIndex FromBytes(byte[] content, string name)
    {
        using var stream = new MemoryStream(content, writable: false);
        return Read(stream, name);
    }

    /// <summary>Reads a stream through, checking its checksum as it goes.</summary>
    private static ProtectedIndex Read(Stream stream, string path)
    {
        var checksummed = new ChecksumStream(stream);
        var index = Read(checksummed, path, null, null, inBackground: false);
        var actual = checksummed.Checksum;
        Span<byte> stored = stackalloc byte[sizeof(ulong)];
        try
        {
            stream.ReadExactly(stored);
        }
        catch (EndOfStreamException)
        {
            throw Damaged(path, "ends early");
        }
        return Matches(actual, stored) && stream.ReadByte() < 0 ? index : throw Damaged(path, "does not match its checksum");
    }

    /// <summary>Parses the header, the codebases and the filter, up to the checksum of all before
    /// it. A mapped file's checksum is checked here (or on another thread), read through
    /// <paramref name="handle"/>, which the check closes; a stream's by the caller, which hashed it
    /// as it was read.</summary>
    private static ProtectedIndex Read(Stream stream, string path, MappedFile? mapped, SafeFileHandle? handle, bool inBackground)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            FingerprintFile.ReadHeader(reader, Magic, path, "protected-code index", "leakguard protect add", OlderMagic);
            int count = Bounded(reader.ReadInt32(), 10_000, "codebases");
            var codebases = new List<ProtectedCodebase>(count);
            for (int c = 0; c < count; c++)
            {
                string name = reader.ReadString();
                var sources = ReadStrings(reader, 100_000);
                var added = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                long bytes = reader.ReadInt64();
                int fileCount = Bounded(reader.ReadInt32(), 50_000_000, "files");
                // In a mapped file the names are stepped over and decoded when first asked for
                // (by a match): tens of thousands of strings were a third of an index's load.
                IReadOnlyList<ProtectedFile> files = mapped is null ? ReadFiles(reader, fileCount) : MappedFiles.Skip(reader, mapped, fileCount);
                var canaries = ReadStrings(reader, 100_000);
                int fingerprintCount = Bounded(reader.ReadInt32(), 1_000_000_000, "fingerprints");
                var fingerprints = FingerprintTable.Read(stream, fingerprintCount, mapped);
                codebases.Add(new ProtectedCodebase(name, sources, added, bytes, files, fingerprints, canaries));
            }
            int wordBits = reader.ReadInt32();
            if (wordBits is < 6 or > 28)
            {
                throw Damaged(path, $"names a filter of 2^{wordBits} words");
            }
            reader.ReadBytes(FilterPadding(stream.Position));
            var filter = ReadFilter(stream, 1 << wordBits, mapped);
            long storedAt = stream.Position;
            Task? checking = null;
            if (mapped is not null && handle is not null)
            {
                var check = () =>
                {
                    using (handle)
                    {
                        if (!Matches(FileChecksum(handle, storedAt, path), mapped.Slice<byte>(storedAt, sizeof(ulong)).Span))
                        {
                            throw Damaged(path, "does not match its checksum");
                        }
                    }
                };
                if (stream.Length != storedAt + sizeof(ulong))
                {
                    throw stream.Length < storedAt + sizeof(ulong) ? new EndOfStreamException() : Damaged(path, "does not match its checksum");
                }
                if (inBackground)
                {
                    checking = Task.Run(check);
                }
                else
                {
                    check();
                }
            }
            return new ProtectedIndex(codebases, filter, checking);
        }
        catch (EndOfStreamException)
        {
            throw Damaged(path, "ends early");
        }
        catch (FormatException)
        {
            // A string's length that is not a length.
            throw Damaged(path, "holds a string that is not one");
        }
    }

    private static InvalidDataException Damaged(string path, string how) =>
        new($"{path} {how}: the protected-code index is damaged; build it again with `leakguard protect add`");

    private static bool Matches(ulong actual, ReadOnlySpan<byte> stored) =>
        actual == BinaryPrimitives.ReadUInt64LittleEndian(stored);

    /// <summary>The <see cref="IndexChecksum"/> of the file's first <paramref name="length"/> bytes,
    /// read, not looked at where they are mapped: the pass would map in every page of the file (a
    /// fault each, and the whole index counted in the scan's memory), where a scan looks up a few.</summary>
    private static ulong FileChecksum(SafeFileHandle handle, long length, string path)
    {
        var hash = new IndexChecksum();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (long at = 0; at < length;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - at)), at);
                if (read == 0)
                {
                    // Cut short since it was mapped: a file is replaced by rename, never rewritten.
                    throw Damaged(path, "ends early");
                }
                hash.Append(buffer.AsSpan(0, read));
                at += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.Current;
    }

    /// <summary>The filter's words start on a 64-byte boundary of the file (a cache line, where mapped).</summary>
    private static int FilterPadding(long position) => (int)((64 - position % 64) % 64);

    private static ReadOnlyMemory<ulong> ReadFilter(Stream stream, int words, MappedFile? mapped)
    {
        if ((long)words * sizeof(ulong) > stream.Length - stream.Position)
        {
            throw new EndOfStreamException();
        }
        if (mapped is not null && BitConverter.IsLittleEndian)
        {
            var inPlace = mapped.Slice<ulong>(stream.Position, words);
            stream.Seek((long)words * sizeof(ulong), SeekOrigin.Current);
            return inPlace;
        }
        var filter = new ulong[words];
        stream.ReadExactly(MemoryMarshal.AsBytes(filter.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(filter, filter);
        }
        return filter;
    }

    /// <summary>Writes the index to <paramref name="path"/> through a temporary file renamed over it.</summary>
    public void Save(string path) => FingerprintFile.Save(path, Write);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Write(stream);
        return stream.ToArray();
    }

    /// <summary>The header, each codebase (names, files, canaries, its table), the filter and an
    /// XXH64 checksum of everything before it (<see cref="IndexChecksum"/>): the checksum, not a pass over every fingerprint,
    /// is what a load checks.</summary>
    private void Write(Stream output)
    {
        var stream = new ChecksumStream(output);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            FingerprintFile.WriteHeader(writer, Magic);
            writer.Write(Codebases.Count);
            foreach (var codebase in Codebases)
            {
                writer.Write(codebase.Name);
                WriteStrings(writer, codebase.Sources);
                writer.Write(codebase.Added.ToUnixTimeMilliseconds());
                writer.Write(codebase.Bytes);
                writer.Write(codebase.Files.Count);
                foreach (var file in codebase.Files)
                {
                    writer.Write(file.Path);
                    writer.Write(file.Lines);
                }
                WriteStrings(writer, codebase.Canaries);
                writer.Write(codebase.Fingerprints.Count);
                writer.Flush();
                codebase.Fingerprints.Write(stream);
            }
            writer.Write(BitOperations.Log2((uint)_filterWords));
            writer.Flush();
            writer.Write(new byte[FilterPadding(output.Position)]);
            writer.Flush();
            var filter = _filter.Span;
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(filter));
            }
            else
            {
                foreach (ulong word in filter)
                {
                    writer.Write(word);
                }
                writer.Flush();
            }
        }
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, stream.Checksum);
        output.Write(checksum);
    }

    private static ProtectedFile[] ReadFiles(BinaryReader reader, int count)
    {
        var files = new ProtectedFile[count];
        for (int i = 0; i < count; i++)
        {
            files[i] = new ProtectedFile(reader.ReadString(), reader.ReadInt32());
        }
        return files;
    }

    /// <summary>A codebase's files as a mapped index file stores them, decoded on first use.</summary>
    private sealed class MappedFiles : IReadOnlyList<ProtectedFile>
    {
        private readonly MappedFile _mapped;
        private readonly long _offset;
        private ProtectedFile[]? _files;

        private MappedFiles(MappedFile mapped, long offset, int count) => (_mapped, _offset, Count) = (mapped, offset, count);

        /// <summary>Steps over <paramref name="count"/> files from the reader's position, checking
        /// each name's length against the file.</summary>
        public static MappedFiles Skip(BinaryReader reader, MappedFile mapped, int count)
        {
            var stream = reader.BaseStream;
            long offset = stream.Position;
            for (int i = 0; i < count; i++)
            {
                int length = reader.Read7BitEncodedInt();
                if (length < 0 || stream.Position + length + sizeof(int) > stream.Length)
                {
                    throw new EndOfStreamException();
                }
                stream.Seek(length + sizeof(int), SeekOrigin.Current);
            }
            return new MappedFiles(mapped, offset, count);
        }

        public int Count { get; }

        // Two threads may decode at once; both get the same names.
        private ProtectedFile[] Files => _files ??= ReadAll();

        public ProtectedFile this[int index] => Files[index];

        public IEnumerator<ProtectedFile> GetEnumerator() => ((IEnumerable<ProtectedFile>)Files).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private ProtectedFile[] ReadAll()
        {
            using var stream = _mapped.OpenStream();
            stream.Position = _offset;
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            return ReadFiles(reader, Count);
        }
    }

    private static int Bounded(int value, int max, string what) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"the protected-code index is damaged: {value} {what}");

    private static string[] ReadStrings(BinaryReader reader, int max)
    {
        var strings = new string[Bounded(reader.ReadInt32(), max, "entries")];
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i] = reader.ReadString();
        }
        return strings;
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> strings)
    {
        writer.Write(strings.Count);
        foreach (string s in strings)
        {
            writer.Write(s);
        }
    }
}
