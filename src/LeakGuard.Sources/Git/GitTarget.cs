using LeakGuard.Core.Scanning;

namespace LeakGuard.Sources.Git;

/// <summary>
/// A repository named by path or URL, ready to scan. A remote is mirrored first, walks only
/// commits that no earlier completed scan of it walked, and offers only blobs that none offered;
/// <see cref="Completed"/> records this scan's blobs and tips, so call it only once the scan has finished.
/// </summary>
public sealed class GitTarget : IDisposable
{
    private readonly GitHistorySource _source;
    private readonly ScannedBlobStore? _store;

    private GitTarget(GitHistorySource source, ScannedBlobStore? store)
    {
        _source = source;
        _store = store;
    }

    public static GitTarget Open(string location, GitHistoryOptions options, GitRemoteMirror mirror, Action<string, string> warn)
    {
        if (!GitRemote.IsRemote(location))
        {
            return new GitTarget(GitHistorySource.Open(location, options, warn), null);
        }
        var remote = mirror.Update(location);
        var source = GitHistorySource.Open(remote.Path, options with
        {
            RepositoryName = options.RepositoryName ?? remote.Name,
            AlreadyScanned = remote.ScannedBlobs.LoadBlobs(),
            AlreadyWalked = remote.ScannedBlobs.LoadTips(),
        }, warn);
        return new GitTarget(source, remote.ScannedBlobs);
    }

    public IEnumerable<SourceItem> Enumerate() => _source.Enumerate();

    /// <summary>How findings name the repository: its path, or its URL without credentials.</summary>
    public string Name => _source.Name;

    /// <summary>Blob ids this scan offered: what a watcher records as scanned once the scan is over.</summary>
    public IReadOnlyCollection<string> OfferedBlobs => _source.OfferedBlobs;

    /// <summary>The commit each walked ref points at: what a watcher records as the target's last commit per ref.</summary>
    public IReadOnlyDictionary<string, string> RefTips => _source.RefTips;

    public void Completed() => _store?.Record(_source.OfferedBlobs, _source.Tips);

    public void Dispose() => _source.Dispose();
}
