using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace LeakGuard.Core.Protection;

/// <summary>One file of a protected codebase: its path in the codebase and its number of lines.</summary>
public sealed record ProtectedFile(string Path, int Lines);

/// <summary>A fingerprint of a protected codebase: where in which of its files it came from.</summary>
public readonly record struct ProtectedFingerprint(ulong Hash, int File, int StartLine, int EndLine);

/// <summary>A codebase whose copies are to be found: what it was built from, its files, its
/// fingerprints (already stripped of those common to many of its files) and its canaries.</summary>
public sealed record ProtectedCodebase(
    string Name,
    IReadOnlyList<string> Sources,
    DateTimeOffset Added,
    long Bytes,
    IReadOnlyList<ProtectedFile> Files,
    IReadOnlyList<ProtectedFingerprint> Fingerprints,
    IReadOnlyList<string> Canaries);

/// <summary>
/// The protected codebases, and one sorted table of all their fingerprints for lookups during a
/// scan. Kept in one binary file (<see cref="Save"/>, <see cref="Load"/>) that the CLI names with
/// <c>--protected</c>; changing it writes a new file and renames it over the old, so a scan never
/// reads half an index.
/// </summary>
public sealed class ProtectedIndex
{
    private static readonly byte[] Magic = "LGPROT1\n"u8.ToArray();

    /// <summary>Names are what findings and commands call a codebase: short, no control characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Where a looked-up fingerprint occurs.</summary>
    public readonly record struct Posting(int Codebase, int File, int StartLine, int EndLine);

    private readonly ulong[] _hashes;
    private readonly Posting[] _postings;

    /// <summary>One bit per top-<see cref="_filterBits"/>-bits value of the hashes held: nearly every
    /// fingerprint of a scanned file is in no protected codebase, and this says so without a search.</summary>
    private readonly ulong[] _filter;
    private readonly int _filterBits;

    public IReadOnlyList<ProtectedCodebase> Codebases { get; }

    public static ProtectedIndex Empty { get; } = new([]);

    public ProtectedIndex(IReadOnlyList<ProtectedCodebase> codebases)
    {
        Codebases = codebases;
        int count = codebases.Sum(c => c.Fingerprints.Count);
        _hashes = new ulong[count];
        _postings = new Posting[count];
        int at = 0;
        for (int c = 0; c < codebases.Count; c++)
        {
            foreach (var f in codebases[c].Fingerprints)
            {
                _hashes[at] = f.Hash;
                _postings[at++] = new Posting(c, f.File, f.StartLine, f.EndLine);
            }
        }
        // A codebase's fingerprints are stored in hash order (ProtectedCodebaseBuilder): one codebase needs no sort.
        if (!IsSorted(_hashes))
        {
            Array.Sort(_hashes, _postings);
        }
        // About 16 bits per fingerprint: a miss passes the filter about once in 16.
        _filterBits = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, _hashes.Length) * 16 - 1), 12, 32);
        _filter = new ulong[Math.Max(1, (1L << _filterBits) / 64)];
        foreach (ulong hash in _hashes)
        {
            ulong bit = hash >> (64 - _filterBits);
            _filter[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    private static bool IsSorted(ulong[] hashes)
    {
        for (int i = 1; i < hashes.Length; i++)
        {
            if (hashes[i] < hashes[i - 1])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Fingerprints in the table, all codebases together.</summary>
    public int Count => _hashes.Length;

    /// <summary>Where <paramref name="hash"/> occurs (empty when nowhere).</summary>
    public ReadOnlySpan<Posting> Lookup(ulong hash)
    {
        ulong bit = hash >> (64 - _filterBits);
        if ((_filter[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
        {
            return [];
        }
        int at = Array.BinarySearch(_hashes, hash);
        if (at < 0)
        {
            return [];
        }
        int first = at;
        while (first > 0 && _hashes[first - 1] == hash)
        {
            first--;
        }
        int end = at + 1;
        while (end < _hashes.Length && _hashes[end] == hash)
        {
            end++;
        }
        return _postings.AsSpan(first, end - first);
    }

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

    /// <exception cref="InvalidDataException">The file is not an index this version wrote, or is damaged.</exception>
    public static ProtectedIndex Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>An index from bytes <see cref="ToBytes"/> wrote (the copy a store keeps).</summary>
    /// <param name="name">What messages call it.</param>
    /// <exception cref="InvalidDataException">The bytes are not an index this version wrote, or are damaged.</exception>
    public static ProtectedIndex FromBytes(byte[] content, string name)
    {
        using var stream = new MemoryStream(content, writable: false);
        return Read(stream, name);
    }

    private static ProtectedIndex Read(Stream stream, string path)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            FingerprintFile.ReadHeader(reader, Magic, path, "protected-code index", "leakguard protect add");
            int count = Bounded(reader.ReadInt32(), 10_000, "codebases");
            var codebases = new List<ProtectedCodebase>(count);
            for (int c = 0; c < count; c++)
            {
                string name = reader.ReadString();
                var sources = ReadStrings(reader, 100_000);
                var added = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                long bytes = reader.ReadInt64();
                int fileCount = Bounded(reader.ReadInt32(), 50_000_000, "files");
                var files = new ProtectedFile[fileCount];
                for (int i = 0; i < fileCount; i++)
                {
                    files[i] = new ProtectedFile(reader.ReadString(), reader.ReadInt32());
                }
                var canaries = ReadStrings(reader, 100_000);
                int fingerprintCount = Bounded(reader.ReadInt32(), 1_000_000_000, "fingerprints");
                var fingerprints = ReadFingerprints(reader, fingerprintCount, fileCount);
                codebases.Add(new ProtectedCodebase(name, sources, added, bytes, files, fingerprints, canaries));
            }
            return new ProtectedIndex(codebases);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} ends early: the protected-code index is damaged; build it again with `leakguard protect add`");
        }
    }

    /// <summary>Writes the index to <paramref name="path"/> through a temporary file renamed over it.</summary>
    public void Save(string path) => FingerprintFile.Save(path, Write);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Write(stream);
        return stream.ToArray();
    }

    private void Write(Stream stream)
    {
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
                foreach (var f in codebase.Fingerprints)
                {
                    writer.Write(f.Hash);
                    writer.Write(f.File);
                    writer.Write(f.StartLine);
                    writer.Write(f.EndLine);
                }
            }
        }
    }

    /// <summary>Fingerprints as <see cref="Write"/> puts them (hash, file, first and last line: 20
    /// bytes each, little-endian), read in blocks: an index holds millions.</summary>
    private static ProtectedFingerprint[] ReadFingerprints(BinaryReader reader, int count, int fileCount)
    {
        const int Size = 20;
        var fingerprints = new ProtectedFingerprint[count];
        byte[] block = new byte[Size * 4096];
        for (int done = 0; done < count;)
        {
            int n = Math.Min(4096, count - done);
            reader.BaseStream.ReadExactly(block, 0, n * Size);
            for (int i = 0; i < n; i++)
            {
                var bytes = block.AsSpan(i * Size, Size);
                fingerprints[done + i] = new ProtectedFingerprint(BinaryPrimitives.ReadUInt64LittleEndian(bytes),
                    Bounded(BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]), fileCount - 1, "file number"),
                    BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]));
            }
            done += n;
        }
        return fingerprints;
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
