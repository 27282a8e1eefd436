using System.Text;

namespace LeakGuard.Core.Protection;

/// <summary>
/// Fingerprints found in open-source code: what a protected codebase shares with code that is
/// anyone's (a licence header, a compiler's export list, a vendored helper, an idiom every project
/// writes) says nothing about whose code a copy is, so <c>protect add</c> drops those from the
/// codebase's fingerprints. Built by <c>protect common add</c> from sources the user names (a
/// folder of dependencies, a package cache), kept as one sorted table in one file.
/// </summary>
public sealed class CommonFingerprints
{
    private static readonly byte[] Magic = "LGCOMM1\n"u8.ToArray();

    private readonly ulong[] _hashes;

    public static CommonFingerprints Empty { get; } = new([], []);

    /// <summary>What the table was built from, as the user named it.</summary>
    public IReadOnlyList<string> Sources { get; }

    public int Count => _hashes.Length;

    private CommonFingerprints(ulong[] sortedDistinct, IReadOnlyList<string> sources)
    {
        _hashes = sortedDistinct;
        Sources = sources;
    }

    public bool Contains(ulong hash) => Array.BinarySearch(_hashes, hash) >= 0;

    /// <summary>This table with <paramref name="hashes"/> added and <paramref name="sources"/> noted.</summary>
    public CommonFingerprints With(IEnumerable<ulong> hashes, IEnumerable<string> sources)
    {
        var all = new HashSet<ulong>(_hashes);
        all.UnionWith(hashes);
        ulong[] sorted = [.. all];
        Array.Sort(sorted);
        return new CommonFingerprints(sorted, [.. Sources, .. sources.Where(s => !Sources.Contains(s))]);
    }

    /// <exception cref="InvalidDataException">Not a table this version wrote, or damaged.</exception>
    public static CommonFingerprints Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            FingerprintFile.ReadHeader(reader, Magic, path, "common-fingerprint list", "leakguard protect common add");
            string[] sources = new string[Bounded(reader.ReadInt32(), 100_000, path)];
            for (int i = 0; i < sources.Length; i++)
            {
                sources[i] = reader.ReadString();
            }
            ulong[] hashes = new ulong[Bounded(reader.ReadInt32(), 1_000_000_000, path)];
            for (int i = 0; i < hashes.Length; i++)
            {
                hashes[i] = reader.ReadUInt64();
                if (i > 0 && hashes[i] <= hashes[i - 1])
                {
                    throw new InvalidDataException($"{path} is damaged: its fingerprints are out of order");
                }
            }
            return new CommonFingerprints(hashes, sources);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} ends early: the common-fingerprint list is damaged; make it again with `leakguard protect common add`");
        }
    }

    /// <summary>Writes the table through a temporary file renamed over <paramref name="path"/>.</summary>
    public void Save(string path) => FingerprintFile.Save(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        FingerprintFile.WriteHeader(writer, Magic);
        writer.Write(Sources.Count);
        foreach (string source in Sources)
        {
            writer.Write(source);
        }
        writer.Write(_hashes.Length);
        foreach (ulong hash in _hashes)
        {
            writer.Write(hash);
        }
    });

    private static int Bounded(int value, int max, string path) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"{path} is damaged: {value} entries");
}
