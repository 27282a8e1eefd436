using System.Collections.Concurrent;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// Records every file a scan looks at — top-level items and archive members, with their sizes and
/// provenance — so two releases can be compared by content list. It runs first among the
/// expanders and never expands anything itself, so recording costs one list append per file.
/// </summary>
public sealed class FileInventory : IBlobExpander
{
    private readonly ConcurrentBag<InventoriedFile> _files = [];

    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        _files.Add(new InventoriedFile(blob.Path, blob.Content.Length, blob.Origin));
        return ExpansionResult.NotHandled;
    }

    /// <summary>The files seen, containers left out: an archive is the list of its members.</summary>
    public IReadOnlyList<InventoriedFile> Files()
    {
        var containers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in _files)
        {
            for (int bang = file.Path.IndexOf('!', StringComparison.Ordinal); bang >= 0; bang = file.Path.IndexOf('!', bang + 1))
            {
                containers.Add(file.Path[..bang]);
            }
        }
        var leaves = _files.Where(f => !containers.Contains(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return leaves;
    }
}

/// <summary>One file a scan saw.</summary>
public sealed record InventoriedFile(string Path, long Size, BlobOrigin? Origin);
