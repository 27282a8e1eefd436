namespace LeakGuard.Matching;

/// <summary>
/// Upkeep of the cache folder, whose files are named by a hash of what they were built from (the
/// rules, the libhs version): every change of rules leaves the old file behind. A file is marked
/// used each time it is read, and after a new one is written only the most recently used few of
/// its kind are kept, so installations sharing the folder keep theirs while stale ones go.
/// </summary>
public static class CacheFiles
{
    /// <summary>Files of one kind kept: enough for a few LeakGuard versions or rule sets side by side.</summary>
    public const int Kept = 8;

    /// <summary>Marks <paramref name="path"/> as just used; a file that cannot be touched stays as it is.</summary>
    public static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes all but the <see cref="Kept"/> most recently used files matching
    /// <paramref name="pattern"/> (e.g. <c>hs-*.db</c>) in <paramref name="directory"/>.</summary>
    public static void Prune(string directory, string pattern)
    {
        try
        {
            var stale = new DirectoryInfo(directory).EnumerateFiles(pattern)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Skip(Kept);
            foreach (var file in stale)
            {
                file.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process pruned or uses it: the next write tries again.
        }
    }
}
