using System.Collections.Concurrent;
using LeakGuard.Core.Expansion.Archives;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// Records every file a scan looks at — top-level items and archive members, with their sizes and
/// provenance — so two releases can be compared by content list. Recording costs one list append
/// per file.
/// </summary>
public sealed class FileInventory : IBlobObserver
{
    private readonly ConcurrentBag<Seen> _seen = [];

    public void Observe(Blob blob) =>
        _seen.Add(new Seen(blob.Path, blob.Content.Length, blob.Origin, ArchiveExpander.Detect(blob.Content.Span) != ArchiveExpander.Format.None));

    /// <summary>
    /// The files a release ships. An archive stands for nothing itself: its members are listed.
    /// Any other file with members (a source map and the sources embedded in it) is listed once,
    /// with the number of files embedded in it, because that is what shipped and what a person
    /// asks about ("2.1.0 adds cli.js.map, 57 MiB, 1,900 embedded files").
    /// </summary>
    public IReadOnlyList<InventoriedFile> Files()
    {
        var all = _seen.ToList();
        // A container is embedding files only when it was seen as a file: an archive is not, nor
        // an image's layer (expanded without being scanned as a file of its own).
        var files = all.Where(s => !s.IsArchive).Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
        var containers = new HashSet<string>(StringComparer.Ordinal);
        var embedded = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var seen in all)
        {
            for (int bang = seen.Path.IndexOf('!', StringComparison.Ordinal); bang >= 0; bang = seen.Path.IndexOf('!', bang + 1))
            {
                containers.Add(seen.Path[..bang]);
            }
            if (OutermostNonArchiveContainer(seen.Path, files) is { } holder)
            {
                embedded[holder] = embedded.GetValueOrDefault(holder) + 1;
            }
        }
        return [.. all
            .Where(s => OutermostNonArchiveContainer(s.Path, files) is null && !(s.IsArchive && containers.Contains(s.Path)))
            .Select(s => new InventoriedFile(s.Path, s.Size, s.Origin, embedded.GetValueOrDefault(s.Path)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>The first '!'-prefix of <paramref name="path"/> that is a file seen, not an
    /// archive: the file this path is embedded in, or null for a file that is not embedded in one.</summary>
    private static string? OutermostNonArchiveContainer(string path, HashSet<string> files)
    {
        for (int bang = path.IndexOf('!', StringComparison.Ordinal); bang >= 0; bang = path.IndexOf('!', bang + 1))
        {
            string prefix = path[..bang];
            if (files.Contains(prefix))
            {
                return prefix;
            }
        }
        return null;
    }

    private sealed record Seen(string Path, long Size, BlobOrigin? Origin, bool IsArchive);
}

/// <summary>One file a scan saw, and how many files were embedded in it (a source map's sources).</summary>
public sealed record InventoriedFile(string Path, long Size, BlobOrigin? Origin, int EmbeddedFiles = 0);
