using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Finds every distinct blob reachable from a set of tips, each attributed to the earliest
/// commit that introduced it. Commits are visited parents first; each commit's tree is compared
/// with its parents' trees and only entries that differ from every parent are looked at, so an
/// unchanged subtree costs one id comparison however large it is, and a blob counts as
/// "introduced" by a commit only where that commit actually changed it.
/// </summary>
internal sealed class HistoryWalk(Repository repository, string repositoryName, Action<string, string> warn)
{
    private readonly Dictionary<ObjectId, BlobIntroduction> _byBlob = [];
    private readonly List<BlobIntroduction> _inOrder = [];

    /// <summary>Blobs in the order they were first introduced.</summary>
    public IReadOnlyList<BlobIntroduction> Introductions => _inOrder;

    public void Run(IReadOnlyList<Commit> tips, IReadOnlyList<Commit> exclude)
    {
        var filter = new CommitFilter
        {
            IncludeReachableFrom = tips,
            ExcludeReachableFrom = exclude.Count == 0 ? null : exclude,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time | CommitSortStrategies.Reverse,
        };
        IEnumerator<Commit> commits;
        try
        {
            commits = repository.Commits.QueryBy(filter).GetEnumerator();
        }
        catch (LibGit2SharpException e)
        {
            warn(repositoryName, $"history could not be walked: {OneLine(e)}");
            return;
        }
        using (commits)
        {
            // Bounded by the number of commits in the repository: the walk visits each once.
            while (true)
            {
                Commit commit;
                try
                {
                    if (!commits.MoveNext())
                    {
                        break;
                    }
                    commit = commits.Current;
                }
                catch (LibGit2SharpException e)
                {
                    warn(repositoryName, $"history walk stopped early, the commits found so far are scanned: {OneLine(e)}");
                    break;
                }
                Visit(commit);
            }
        }
    }

    private void Visit(Commit commit)
    {
        try
        {
            Tree tree = commit.Tree;
            var parentTrees = new List<Tree?>();
            foreach (Commit parent in commit.Parents)
            {
                if (parent.Tree.Id == tree.Id)
                {
                    return;
                }
                parentTrees.Add(parent.Tree);
            }
            CompareTree(tree, parentTrees, "", new Lazy<CommitSummary>(() => CommitSummary.Of(commit)));
        }
        catch (LibGit2SharpException e)
        {
            warn($"{repositoryName}@{commit.Sha[..12]}", $"commit could not be read, the rest of the history is scanned: {OneLine(e)}");
        }
    }

    private void CompareTree(Tree tree, List<Tree?> parentTrees, string prefix, Lazy<CommitSummary> commit)
    {
        foreach (TreeEntry entry in tree)
        {
            ObjectId id = entry.Target.Id;
            bool unchanged = false;
            List<Tree?>? parentSubtrees = entry.TargetType == TreeEntryTargetType.Tree ? new List<Tree?>(parentTrees.Count) : null;
            foreach (Tree? parentTree in parentTrees)
            {
                TreeEntry? before = EntryOf(parentTree, entry.Name);
                if (before is not null && before.Target.Id == id)
                {
                    unchanged = true;
                    break;
                }
                parentSubtrees?.Add(before?.TargetType == TreeEntryTargetType.Tree ? (Tree)before.Target : null);
            }
            if (unchanged)
            {
                continue;
            }
            string path = prefix + entry.Name;
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    CompareTree((Tree)entry.Target, parentSubtrees!, path + "/", commit);
                    break;
                case TreeEntryTargetType.Blob:
                    Record(id, path, commit.Value);
                    break;
                default:
                    // Submodule links point into other repositories, which are scanned on their own.
                    break;
            }
        }
    }

    /// <summary>A parent's entry of that name. A parent tree that cannot be read was already
    /// reported with its own commit; comparing against nothing keeps this commit's blobs in the scan.</summary>
    private static TreeEntry? EntryOf(Tree? parentTree, string name)
    {
        try
        {
            return parentTree?[name];
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private void Record(ObjectId blob, string path, CommitSummary commit)
    {
        if (_byBlob.TryGetValue(blob, out var known))
        {
            known.SeenAgain(path, commit);
            return;
        }
        var introduction = new BlobIntroduction(blob, path, commit);
        _byBlob.Add(blob, introduction);
        _inOrder.Add(introduction);
    }

    internal static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}
