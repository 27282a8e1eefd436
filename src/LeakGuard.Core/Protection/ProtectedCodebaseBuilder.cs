using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Protection;

/// <summary>
/// Fingerprints the text files of one codebase (safe to feed from several threads) and builds its
/// <see cref="ProtectedCodebase"/>. A fingerprint found in more than
/// <see cref="MostFilesPerFingerprint"/> of the codebase's files is dropped: code repeated that
/// often (generated code, boilerplate, a vendored helper) is not what makes the codebase its own,
/// and it is what unrelated code shares too. With a <see cref="CommonFingerprints"/> list, those
/// found in open-source code are dropped as well.
/// </summary>
public sealed class ProtectedCodebaseBuilder(string name)
{
    public const int MostFilesPerFingerprint = 4;

    /// <summary>Larger text is data or generated, not code someone wrote.</summary>
    public const int LargestFile = 4 * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly List<ProtectedFile> _files = [];
    private readonly List<ProtectedFingerprint> _fingerprints = [];
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private long _bytes;

    public string Name { get; } = name;

    public int FileCount
    {
        get
        {
            lock (_lock)
            {
                return _files.Count;
            }
        }
    }

    /// <summary>Adds one file; files that are not code (<see cref="CodeFiles.IsCode"/>), binary,
    /// oversized and repeated paths are left out.</summary>
    /// <returns>Whether the file was added.</returns>
    public bool AddFile(string path, ReadOnlySpan<byte> content)
    {
        if (!IsFingerprinted(path, content))
        {
            return false;
        }
        var fingerprints = Winnowing.Of(content);
        int lines = content.Count((byte)'\n') + (content[^1] == (byte)'\n' ? 0 : 1);
        lock (_lock)
        {
            if (!_paths.Add(path))
            {
                return false;
            }
            int file = _files.Count;
            _files.Add(new ProtectedFile(path, lines));
            _bytes += content.Length;
            foreach (var f in fingerprints)
            {
                _fingerprints.Add(new ProtectedFingerprint(f.Hash, file, f.StartLine, f.EndLine));
            }
        }
        return true;
    }

    /// <summary>Whether a file is fingerprinted: code (<see cref="CodeFiles.IsCode"/>), text, not oversized.</summary>
    public static bool IsFingerprinted(string path, ReadOnlySpan<byte> content) =>
        CodeFiles.IsCode(path) && content.Length <= LargestFile && !content.IsEmpty && !TextPosition.LooksBinary(content);

    public ProtectedCodebase Build(IReadOnlyList<string> sources, DateTimeOffset added, IReadOnlyList<string> canaries) =>
        Build(sources, added, canaries, CommonFingerprints.Empty, out _);

    /// <param name="openSource">Fingerprints of open-source code, dropped.</param>
    /// <param name="droppedAsOpenSource">How many of the codebase's fingerprints that dropped.</param>
    public ProtectedCodebase Build(IReadOnlyList<string> sources, DateTimeOffset added, IReadOnlyList<string> canaries,
        CommonFingerprints openSource, out int droppedAsOpenSource)
    {
        lock (_lock)
        {
            // Sorted by hash and file, a hash's run names its files in order: counting them needs no table.
            var pairs = new (ulong Hash, int File)[_fingerprints.Count];
            for (int i = 0; i < pairs.Length; i++)
            {
                pairs[i] = (_fingerprints[i].Hash, _fingerprints[i].File);
            }
            Array.Sort(pairs);
            var common = new HashSet<ulong>();
            for (int start = 0, end; start < pairs.Length; start = end)
            {
                int files = 1;
                for (end = start + 1; end < pairs.Length && pairs[end].Hash == pairs[start].Hash; end++)
                {
                    files += pairs[end].File != pairs[end - 1].File ? 1 : 0;
                }
                if (files > MostFilesPerFingerprint)
                {
                    common.Add(pairs[start].Hash);
                }
            }
            var kept = common.Count == 0 ? [.. _fingerprints] : _fingerprints.Where(f => !common.Contains(f.Hash)).ToList();
            int before = kept.Count;
            if (openSource.Count > 0)
            {
                kept.RemoveAll(f => openSource.Contains(f.Hash));
            }
            droppedAsOpenSource = before - kept.Count;
            return new ProtectedCodebase(Name, sources, added, _bytes, [.. _files], FingerprintTable.Of(kept), canaries);
        }
    }
}
