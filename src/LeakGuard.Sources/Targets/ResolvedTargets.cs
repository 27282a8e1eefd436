using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Git;

namespace LeakGuard.Sources.Targets;

/// <summary>
/// The items of every target, plus what must outlive the scan (open repositories) and what
/// must happen only after it finished (remembering which blobs of a remote were scanned).
/// </summary>
public sealed class ResolvedTargets : IDisposable
{
    private readonly List<IEnumerable<SourceItem>> _parts = [];
    private readonly List<SourceItem> _packageVersions = [];
    private readonly List<IDisposable> _open = [];
    private readonly List<Action> _afterScan = [];
    private readonly List<(string Name, GitTarget Target)> _repositories = [];
    private readonly Lock _gate = new();

    public IEnumerable<SourceItem> Items => _parts.SelectMany(part => part);

    /// <summary>The package versions among the items, oldest first per package, known before
    /// scanning starts (a range scan compares each version with the one before).</summary>
    public IReadOnlyList<SourceItem> PackageVersions => _packageVersions;

    public void Add(IEnumerable<SourceItem> items) => _parts.Add(items);

    /// <summary>The git repositories opened so far, by the name findings give them; a
    /// <c>github:</c> target opens its repositories as the scan reaches them.</summary>
    public IReadOnlyList<(string Name, GitTarget Target)> Repositories
    {
        get
        {
            lock (_gate)
            {
                return [.. _repositories];
            }
        }
    }

    /// <summary>Keeps the repository open until the scan is over and remembers it by name.</summary>
    public void AddRepository(string name, GitTarget target)
    {
        KeepOpen(target);
        lock (_gate)
        {
            _repositories.Add((name, target));
        }
    }

    public void AddPackageVersions(IReadOnlyList<SourceItem> versions)
    {
        _packageVersions.AddRange(versions);
        _parts.Add(versions);
    }

    /// <summary>Keeps a resource open until the scan is over; may be called while items are enumerated.</summary>
    public void KeepOpen(IDisposable resource)
    {
        lock (_gate)
        {
            _open.Add(resource);
        }
    }

    public void AfterScan(Action action)
    {
        lock (_gate)
        {
            _afterScan.Add(action);
        }
    }

    /// <summary>Runs what waits for a finished scan.</summary>
    public void ScanFinished()
    {
        lock (_gate)
        {
            foreach (var action in _afterScan)
            {
                action();
            }
            _afterScan.Clear();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var resource in _open)
            {
                resource.Dispose();
            }
            _open.Clear();
        }
    }
}
