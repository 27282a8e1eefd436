using LeakGuard.Core.Findings;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>What NEW has that OLD did not: files added, removed and grown, protected code it
/// holds that OLD did not, and findings whose release-independent fingerprint OLD does not have
/// (a protected-code finding is new when it holds a protected file OLD did not).</summary>
public sealed record ReleaseComparison(
    string Old,
    string New,
    IReadOnlyList<FileChange> Added,
    IReadOnlyList<FileChange> Removed,
    IReadOnlyList<FileChange> Grown,
    IReadOnlyList<Finding> NewFindings,
    IReadOnlyList<ProtectedCodeChange> ProtectedCode)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Grown.Count == 0 && NewFindings.Count == 0 && ProtectedCode.Count == 0;

    public static ReleaseComparison Compare(ReleaseContents old, ReleaseContents @new)
    {
        var oldFiles = Index(old);
        var newFiles = Index(@new);
        var added = new List<FileChange>();
        var grown = new List<FileChange>();
        foreach (var (key, now) in newFiles)
        {
            if (!oldFiles.TryGetValue(key, out var before))
            {
                added.Add(new FileChange(key, null, now.Size, now.EmbeddedFiles));
            }
            else if (now.Size > before.Size)
            {
                grown.Add(new FileChange(key, before.Size, now.Size, now.EmbeddedFiles));
            }
        }
        var removed = oldFiles.Where(f => !newFiles.ContainsKey(f.Key)).Select(f => new FileChange(f.Key, f.Value.Size, null, f.Value.EmbeddedFiles)).ToList();
        var known = old.FindingKeys().ToHashSet(StringComparer.Ordinal);
        var protectedCode = ProtectedCodeChange.Compare(old.ProtectedFiles(), @new.ProtectedFiles());
        var fresh = @new.Findings.Where(f => ProtectedCodeChange.IsProtectedCode(f)
            ? protectedCode.Any(c => c.IsIn(f))
            : !known.Contains(@new.FindingKey(f))).ToList();
        return new ReleaseComparison(old.Label, @new.Label, Sorted(added), Sorted(removed), Sorted(grown), fresh, protectedCode);
    }

    private static SortedDictionary<string, (long Size, int EmbeddedFiles)> Index(ReleaseContents release)
    {
        var files = new SortedDictionary<string, (long Size, int EmbeddedFiles)>(StringComparer.Ordinal);
        foreach (var file in release.Files)
        {
            // Two top-level items with the same key (rare: two archives side by side) add up.
            string key = release.KeyOf(file.Path);
            var known = files.GetValueOrDefault(key);
            files[key] = (known.Size + file.Size, known.EmbeddedFiles + file.EmbeddedFiles);
        }
        return files;
    }

    private static List<FileChange> Sorted(List<FileChange> changes) => [.. changes.OrderBy(c => c.Path, StringComparer.Ordinal)];
}

/// <summary>A file's path inside the release, its size before and after (null: absent), and the
/// files embedded in it (a source map's sources) in the release that has it, NEW's when both do.</summary>
public sealed record FileChange(string Path, long? OldSize, long? NewSize, int EmbeddedFiles = 0)
{
    /// <summary>"57.0 MiB" or "57.0 MiB, 1,900 embedded files".</summary>
    public static string Describe(long size, int embeddedFiles) =>
        embeddedFiles == 0
            ? Reporting.ByteCount.Format(size)
            : $"{Reporting.ByteCount.Format(size)}, {embeddedFiles:N0} embedded file{(embeddedFiles == 1 ? "" : "s")}";
}
