using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>What the walk needs of one commit: its tree, its parents, when it was committed
/// (to order commits that do not depend on each other) and the facts findings are attributed to.</summary>
internal sealed record CommitFacts(ObjectId Id, Func<Tree?> Tree, IReadOnlyList<ObjectId> Parents, DateTimeOffset? When, Func<CommitSummary> Summary);

/// <summary>
/// Reads commits for the walk. libgit2 reads them when it can; a commit it refuses (a malformed
/// header, as <c>git hash-object --literally</c> writes) is read as git reads it
/// (<see cref="RawCommit"/>, through <c>git cat-file</c>), with one warning naming it, so its
/// tree and its ancestors are still scanned instead of the branch being dropped.
/// </summary>
internal sealed class CommitReader(Repository repository, string repositoryName, Action<string, string> warn) : IDisposable
{
    /// <summary>Commits libgit2 refused, read once (null: not readable at all).</summary>
    private readonly Dictionary<ObjectId, CommitFacts?> _refused = [];
    private CatFileProcess? _git;
    private bool _gitStarted;

    /// <summary>The commit, or null (with a warning) when it cannot be read at all.</summary>
    public CommitFacts? Read(ObjectId id)
    {
        if (_refused.TryGetValue(id, out var known))
        {
            return known;
        }
        Commit? commit;
        try
        {
            commit = repository.Lookup<Commit>(id);
        }
        catch (LibGit2SharpException e)
        {
            return _refused[id] = ReadAsGit(id, HistoryWalk.OneLine(e));
        }
        if (commit is null)
        {
            // A shallow clone's boundary names parents it does not have; that was said once already.
            if (!repository.Info.IsShallow)
            {
                warn(Where(id), "commit is missing from the object database; what only it leads to is not scanned");
            }
            return _refused[id] = null;
        }
        return new CommitFacts(id, () => commit.Tree, ParentsOf(commit), commit.Committer.When, () => CommitSummary.Of(commit));
    }

    /// <summary>libgit2 reads each parent to list it, so one malformed parent makes the list fail:
    /// then the parents are taken from the commit as git reads it.</summary>
    private IReadOnlyList<ObjectId> ParentsOf(Commit commit)
    {
        try
        {
            return [.. commit.Parents.Select(parent => parent.Id)];
        }
        catch (LibGit2SharpException)
        {
            return Raw(commit.Id) is { } raw ? raw.Parents : [];
        }
    }

    private CommitFacts? ReadAsGit(ObjectId id, string refusal)
    {
        if (Raw(id) is not { } raw)
        {
            warn(Where(id), $"commit could not be read ({refusal}); what only it leads to is not scanned");
            return null;
        }
        warn(Where(id), $"commit is malformed ({refusal}); its tree and parents are walked as git reads them");
        var summary = CommitSummary.Bounded(id.Sha, raw.AuthorName, raw.AuthorEmail, raw.AuthorDate, raw.Summary);
        return new CommitFacts(id, () => raw.Tree is { } tree ? repository.Lookup<Tree>(tree) : null, raw.Parents,
            raw.CommitterDate ?? raw.AuthorDate, () => summary);
    }

    /// <summary>The commit as git reads it; null when git is not installed or has no such commit.</summary>
    private RawCommit? Raw(ObjectId id)
    {
        if (!_gitStarted)
        {
            _gitStarted = true;
            _git = CatFileProcess.TryStart(repository.Info.Path);
        }
        if (_git is null)
        {
            return null;
        }
        try
        {
            return _git.Read(id.Sha, "commit") is { } bytes ? RawCommit.Parse(bytes) : null;
        }
        catch (IOException)
        {
            // The conversation is out of step: a new process for the next commit.
            _git.Dispose();
            _gitStarted = false;
            return null;
        }
    }

    private string Where(ObjectId id) => $"{repositoryName}@{id.Sha[..12]}";

    public void Dispose() => _git?.Dispose();
}
