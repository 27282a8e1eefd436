using LeakGuard.Core.Scanning;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// What the index would add to history if committed now: blobs that are new or changed
/// compared with HEAD (everything staged, before the first commit). A file that is only
/// renamed or deleted adds no content and is not offered. The repository stays open until
/// disposed, because workers read blobs after enumeration has moved on.
/// </summary>
public sealed class GitStagedSource : IDisposable
{
    private readonly Repository _repository;
    private readonly BlobReader _reader;
    private readonly string _name;
    private readonly Action<string, string> _warn;

    private GitStagedSource(Repository repository, string name, Action<string, string> warn)
    {
        _repository = repository;
        _reader = new BlobReader(repository);
        _name = name;
        _warn = warn;
    }

    public static GitStagedSource Open(string path, Action<string, string> warn)
    {
        string? root = Repository.Discover(path);
        if (root is null)
        {
            throw new GitSourceException($"{path}: not inside a git repository");
        }
        try
        {
            return new GitStagedSource(new Repository(root), path, warn);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException($"{path}: repository could not be opened ({HistoryWalk.OneLine(e)})", e);
        }
    }

    public IEnumerable<SourceItem> Enumerate()
    {
        var changes = _repository.Diff.Compare<TreeChanges>(
            HeadTree(),
            DiffTargets.Index,
            paths: null,
            explicitPathsOptions: null,
            new CompareOptions { Similarity = SimilarityOptions.Renames });
        foreach (TreeEntryChanges change in changes)
        {
            bool addsContent = change.Status is ChangeKind.Added or ChangeKind.Modified or ChangeKind.Copied or ChangeKind.TypeChanged
                || (change.Status == ChangeKind.Renamed && change.Oid != change.OldOid);
            if (!addsContent || change.Mode == Mode.GitLink)
            {
                continue;
            }
            ObjectId blob = change.Oid;
            yield return new SourceItem
            {
                Path = change.Path,
                Length = _reader.Size(blob),
                Open = () => _reader.Open(blob),
                Origin = new BlobOrigin
                {
                    Details = new Dictionary<string, object?> { ["repository"] = _name, ["blob"] = blob.Sha, ["staged"] = true },
                },
            };
        }
    }

    /// <summary>HEAD's tree; null before the first commit. A malformed HEAD commit is read as git
    /// reads it (with a warning); one that cannot be read at all leaves everything staged offered.</summary>
    private Tree? HeadTree()
    {
        if (_repository.Refs.Head?.ResolveToDirectReference()?.TargetIdentifier is not { } head)
        {
            return null;
        }
        using var commits = new CommitReader(_repository, _name, _warn);
        return commits.Read(new ObjectId(head))?.Tree();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _repository.Dispose();
    }
}
