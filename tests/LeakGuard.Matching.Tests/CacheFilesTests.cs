using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

/// <summary>The cache folder keeps the most recently used files of each kind, not every file ever built.</summary>
public sealed class CacheFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("leakguard-cache-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File_(string name, int hoursAgo)
    {
        string path = Path.Join(_folder, name);
        File.WriteAllText(path, name);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-hoursAgo));
        return path;
    }

    [Fact]
    public void Pruning_keeps_the_most_recently_used_files_of_the_kind_and_nothing_else_is_touched()
    {
        for (int i = 0; i < 12; i++)
        {
            File_($"hs-{i:x2}.db", hoursAgo: i + 1);
        }
        string other = File_("rules-old.json", hoursAgo: 100);
        string notes = File_("notes.txt", hoursAgo: 100);

        CacheFiles.Prune(_folder, "hs-*.db");

        var kept = Directory.GetFiles(_folder, "hs-*.db").Select(Path.GetFileName).Order();
        Assert.Equal(Enumerable.Range(0, CacheFiles.Kept).Select(i => $"hs-{i:x2}.db"), kept);
        Assert.True(File.Exists(other) && File.Exists(notes));
    }

    [Fact]
    public void A_file_that_is_read_again_is_kept()
    {
        for (int i = 0; i < 12; i++)
        {
            File_($"hs-{i:x2}.db", hoursAgo: i + 1);
        }
        string oldest = Path.Join(_folder, "hs-0b.db");

        CacheFiles.Touch(oldest);
        CacheFiles.Prune(_folder, "hs-*.db");

        Assert.True(File.Exists(oldest));
        Assert.False(File.Exists(Path.Join(_folder, "hs-07.db")));
        Assert.Equal(CacheFiles.Kept, Directory.GetFiles(_folder, "hs-*.db").Length);
    }
}
