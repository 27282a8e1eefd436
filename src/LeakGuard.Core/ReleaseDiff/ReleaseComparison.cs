using LeakGuard.Core.Findings;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>What NEW has that OLD did not: files added, removed and grown, and findings whose
/// release-independent fingerprint OLD does not have.</summary>
public sealed record ReleaseComparison(
    string Old,
    string New,
    IReadOnlyList<FileChange> Added,
    IReadOnlyList<FileChange> Removed,
    IReadOnlyList<FileChange> Grown,
    IReadOnlyList<Finding> NewFindings)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Grown.Count == 0 && NewFindings.Count == 0;

    public static ReleaseComparison Compare(ReleaseContents old, ReleaseContents @new)
    {
        var oldFiles = Index(old);
        var newFiles = Index(@new);
        var added = new List<FileChange>();
        var grown = new List<FileChange>();
        foreach (var (key, size) in newFiles)
        {
            if (!oldFiles.TryGetValue(key, out long before))
            {
                added.Add(new FileChange(key, null, size));
            }
            else if (size > before)
            {
                grown.Add(new FileChange(key, before, size));
            }
        }
        var removed = oldFiles.Where(f => !newFiles.ContainsKey(f.Key)).Select(f => new FileChange(f.Key, f.Value, null)).ToList();
        var known = old.Findings.Select(old.FindingKey).ToHashSet(StringComparer.Ordinal);
        var fresh = @new.Findings.Where(f => !known.Contains(@new.FindingKey(f))).ToList();
        return new ReleaseComparison(old.Label, @new.Label, Sorted(added), Sorted(removed), Sorted(grown), fresh);
    }

    private static SortedDictionary<string, long> Index(ReleaseContents release)
    {
        var files = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in release.Files)
        {
            // Two top-level items with the same key (rare: two archives side by side) add up.
            string key = release.KeyOf(file.Path);
            files[key] = files.GetValueOrDefault(key) + file.Size;
        }
        return files;
    }

    private static List<FileChange> Sorted(List<FileChange> changes) => [.. changes.OrderBy(c => c.Path, StringComparer.Ordinal)];
}

/// <summary>A file's path inside the release and its size before and after (null: absent).</summary>
public sealed record FileChange(string Path, long? OldSize, long? NewSize);
