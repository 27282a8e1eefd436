using LeakGuard.Core.Scanning;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Every distinct blob in a repository's history, offered once, attributed to the commit and
/// path that first introduced it. The repository stays open until disposed, because workers
/// read blobs after enumeration has moved on.
/// </summary>
public sealed class GitHistorySource : IDisposable
{
    private readonly Repository _repository;
    private readonly GitHistoryOptions _options;
    private readonly Action<string, string> _warn;
    private readonly List<Commit> _tips;
    private readonly Dictionary<string, string> _refTips;
    private readonly List<Commit> _exclude;
    private readonly BlobReader _reader;
    private readonly string _name;
    private readonly List<string> _offered = [];

    private GitHistorySource(Repository repository, GitHistoryOptions options, Action<string, string> warn,
        List<(string Ref, Commit Commit)> tips, List<Commit> exclude, string name)
    {
        _repository = repository;
        _options = options;
        _warn = warn;
        _tips = [.. tips.Select(t => t.Commit)];
        _refTips = tips.GroupBy(t => t.Ref, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Commit.Sha, StringComparer.Ordinal);
        _exclude = exclude;
        _name = name;
        _reader = new BlobReader(repository);
    }

    /// <summary>The commits this source walks from (what a remote's store records once the scan ends).</summary>
    public IEnumerable<string> Tips => _tips.Select(c => c.Sha).Distinct(StringComparer.Ordinal);

    /// <summary>How findings name the repository.</summary>
    public string Name => _name;

    /// <summary>The commit each walked ref (<c>refs/heads/main</c>, <c>HEAD</c>, a --branch name) points at.</summary>
    public IReadOnlyDictionary<string, string> RefTips => _refTips;

    /// <summary>Blob ids offered by <see cref="Enumerate"/> so far (what a remote's store records once the scan ends).</summary>
    public IReadOnlyCollection<string> OfferedBlobs => _offered;

    /// <summary>Opens the repository and resolves the refs to walk. Throws <see cref="GitSourceException"/>
    /// when there is nothing it could scan; a ref that does not exist among others is a warning.</summary>
    public static GitHistorySource Open(string path, GitHistoryOptions options, Action<string, string> warn)
    {
        string name = options.RepositoryName ?? path;
        Repository repository;
        try
        {
            // A folder inside a work tree names the repository it belongs to, as it does for git.
            repository = new Repository(Repository.Discover(path) ?? path);
        }
        catch (Exception e) when (e is RepositoryNotFoundException or LibGit2SharpException)
        {
            throw new GitSourceException($"{name}: not a git repository ({HistoryWalk.OneLine(e)})", e);
        }
        try
        {
            if (repository.Info.IsShallow)
            {
                warn(name, "shallow clone: history before the shallow boundary is not available and is not scanned");
            }
            var tips = ResolveTips(repository, options, warn, name);
            var exclude = new List<Commit>();
            if (options.SinceCommit is { } sinceName)
            {
                exclude.Add(Peel(repository, sinceName)
                    ?? throw new GitSourceException($"{name}: --since-commit '{sinceName}' is not a commit in this repository"));
            }
            foreach (string walked in options.AlreadyWalked)
            {
                if (Peel(repository, walked) is { } commit)
                {
                    exclude.Add(commit);
                }
            }
            return new GitHistorySource(repository, options, warn, tips, exclude, name);
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    private static List<(string Ref, Commit Commit)> ResolveTips(Repository repository, GitHistoryOptions options, Action<string, string> warn, string name)
    {
        var tips = new List<(string Ref, Commit Commit)>();
        if (options.Refs.Count == 0)
        {
            foreach (Reference reference in repository.Refs)
            {
                bool wanted = reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal)
                    || reference.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal)
                    || reference.CanonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal);
                if (wanted && Peel(repository, reference.CanonicalName) is { } commit)
                {
                    tips.Add((reference.CanonicalName, commit));
                }
            }
            if (repository.Head.Tip is { } head)
            {
                tips.Add(("HEAD", head));
            }
            return tips;
        }
        foreach (string wanted in options.Refs)
        {
            if (Peel(repository, wanted) is { } commit)
            {
                tips.Add((wanted, commit));
            }
            else
            {
                warn(name, $"--branch '{wanted}' is not a branch, tag or commit in this repository; the other refs are scanned");
            }
        }
        if (tips.Count == 0)
        {
            throw new GitSourceException($"{name}: none of the refs given with --branch exist ({string.Join(", ", options.Refs)})");
        }
        return tips;
    }

    private static Commit? Peel(Repository repository, string name)
    {
        try
        {
            GitObject? target = repository.Lookup(name);
            // Tags of tags are legal; a chain longer than this is not something a person made.
            for (int depth = 0; depth < 16 && target is TagAnnotation tag; depth++)
            {
                target = tag.Target;
            }
            return target as Commit;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    public IEnumerable<SourceItem> Enumerate()
    {
        if (_tips.Count == 0)
        {
            _warn(_name, "no branches or tags, so no history to scan");
            yield break;
        }
        var walk = new HistoryWalk(_repository, _name, _warn);
        walk.Run(_tips, _exclude);
        var elsewhere = _options.ScannedElsewhere?.Invoke(_name,
            [.. walk.Introductions.Select(b => b.Blob.Sha).Where(id => !_options.AlreadyScanned.Contains(id))]);
        foreach (var blob in walk.Introductions)
        {
            string id = blob.Blob.Sha;
            if (_options.AlreadyScanned.Contains(id) || elsewhere?.Contains(id) == true)
            {
                continue;
            }
            if (Item(blob) is { } item)
            {
                _offered.Add(id);
                yield return item;
            }
        }
    }

    private SourceItem? Item(BlobIntroduction blob)
    {
        string where = $"{blob.Path}@{blob.Commit.Id[..12]}";
        long size;
        try
        {
            size = _reader.Size(blob.Blob);
        }
        catch (LibGit2SharpException e)
        {
            _warn(where, $"blob {blob.Blob.Sha} could not be read: {HistoryWalk.OneLine(e)}");
            return null;
        }
        if (size > _options.MaxBlobSize)
        {
            _warn(where, $"skipped: blob {blob.Blob.Sha} is {size:N0} bytes, larger than --max-blob-size ({_options.MaxBlobSize:N0} bytes)");
            return null;
        }
        var commit = blob.Commit;
        return new SourceItem
        {
            Path = blob.Path,
            Length = size,
            Open = () => _reader.Open(blob.Blob),
            Origin = new BlobOrigin
            {
                Commit = commit.Id,
                Author = $"{commit.AuthorName} <{commit.AuthorEmail}>",
                Date = commit.Date,
                Details = new Dictionary<string, object?>
                {
                    ["repository"] = _name,
                    ["blob"] = blob.Blob.Sha,
                    ["message"] = commit.MessageFirstLine,
                    ["otherCommits"] = blob.OtherCommits,
                    ["otherPaths"] = blob.OtherPaths,
                },
            },
        };
    }

    public void Dispose()
    {
        _reader.Dispose();
        _repository.Dispose();
    }
}
