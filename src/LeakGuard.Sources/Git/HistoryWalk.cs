using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Finds every distinct blob reachable from a set of tips, each attributed to the earliest
/// commit that introduced it. Commits are visited parents first; each commit's tree is compared
/// with its parents' trees and only entries that differ from every parent are looked at, so an
/// unchanged subtree costs one id comparison however large it is, and a blob counts as
/// "introduced" by a commit only where that commit actually changed it. git does this walk when
/// it can (<see cref="GitLogWalk"/>, several times faster); libgit2 does it here otherwise, with a
/// warning for each thing in the way.
/// </summary>
internal sealed class HistoryWalk(Repository repository, string repositoryName, Action<string, string> warn)
{
    private readonly Dictionary<ObjectId, BlobIntroduction> _byBlob = [];
    private readonly List<BlobIntroduction> _inOrder = [];
    private int _cutOffCommits;
    private string? _lastCutOffCommit;
    private string? _firstCutOff;
    private int _shortenedPaths;

    /// <summary>Trees nested deeper than this are not walked below it. Git itself refuses deeper
    /// trees (<c>core.maxTreeDepth</c>), so no checkout holds what is below; only a hostile
    /// repository has it, and one warning says where.</summary>
    public const int MaxTreeDepth = 4096;

    /// <summary>Blobs in the order they were first introduced.</summary>
    public IReadOnlyList<BlobIntroduction> Introductions => _inOrder;

    public void Run(IReadOnlyList<ObjectId> tips, IReadOnlyList<ObjectId> exclude)
    {
        if (GitLogWalk.TryRun(repository, tips, exclude, Record))
        {
            return;
        }
        // git could not walk it, or met what only this walk reports on: start again without it.
        _byBlob.Clear();
        _inOrder.Clear();
        RunWithLibGit2(tips, exclude);
    }

    /// <summary>The walk done by libgit2 alone, tree by tree.</summary>
    internal void RunWithLibGit2(IReadOnlyList<ObjectId> tips, IReadOnlyList<ObjectId> exclude)
    {
        using var commits = new CommitReader(repository, repositoryName, warn);
        foreach (ObjectId id in LibGit2Order(tips, exclude) ?? TolerantOrder(commits, tips, exclude))
        {
            Visit(commits, id);
        }
        ReportLimits();
    }

    /// <summary>Commits parents first, oldest first where the graph does not decide, as libgit2
    /// walks them (fast: it reads only what it needs); null when it gives up on a commit it cannot
    /// read, which it does for the whole walk.</summary>
    private List<ObjectId>? LibGit2Order(IReadOnlyList<ObjectId> tips, IReadOnlyList<ObjectId> exclude)
    {
        var filter = new CommitFilter
        {
            IncludeReachableFrom = tips,
            ExcludeReachableFrom = exclude.Count == 0 ? null : exclude,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time | CommitSortStrategies.Reverse,
        };
        try
        {
            return [.. repository.Commits.QueryBy(filter).Select(commit => commit.Id)];
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// The same order, from commits read one by one (<see cref="CommitReader"/>), so a malformed or
    /// missing commit costs only itself and what can be reached only through it: everything that
    /// <paramref name="exclude"/> reaches is left out, the rest that <paramref name="tips"/> reach is
    /// ordered parents first, and among commits whose parents are all done, the oldest first.
    /// </summary>
    private static List<ObjectId> TolerantOrder(CommitReader commits, IReadOnlyList<ObjectId> tips, IReadOnlyList<ObjectId> exclude)
    {
        var hidden = new HashSet<ObjectId>();
        Reach(commits, exclude, hidden, _ => { });
        var graph = new Dictionary<ObjectId, (IReadOnlyList<ObjectId> Parents, DateTimeOffset When)>();
        Reach(commits, tips.Where(tip => !hidden.Contains(tip)), null, facts =>
            graph[facts.Id] = ([.. facts.Parents.Where(parent => !hidden.Contains(parent)).Distinct()], facts.When ?? DateTimeOffset.MinValue),
            hidden);
        var children = new Dictionary<ObjectId, List<ObjectId>>();
        var waiting = new Dictionary<ObjectId, int>();
        var ready = new PriorityQueue<ObjectId, (DateTimeOffset When, int Seen)>();
        int seen = 0;
        foreach (var (id, (parents, when)) in graph)
        {
            int count = 0;
            foreach (ObjectId parent in parents.Where(graph.ContainsKey))
            {
                count++;
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(id);
            }
            waiting[id] = count;
            if (count == 0)
            {
                ready.Enqueue(id, (when, seen++));
            }
        }
        var order = new List<ObjectId>(graph.Count);
        while (ready.TryDequeue(out ObjectId? id, out _))
        {
            order.Add(id);
            foreach (ObjectId child in children.GetValueOrDefault(id) ?? [])
            {
                if (--waiting[child] == 0)
                {
                    ready.Enqueue(child, (graph[child].When, seen++));
                }
            }
        }
        return order;
    }

    /// <summary>Every commit reachable from <paramref name="starts"/> (not through <paramref name="stopAt"/>),
    /// each read once and handed to <paramref name="found"/>; added to <paramref name="into"/> when given.
    /// Iterative: a history is as long as it likes.</summary>
    private static void Reach(CommitReader commits, IEnumerable<ObjectId> starts, HashSet<ObjectId>? into, Action<CommitFacts> found,
        HashSet<ObjectId>? stopAt = null)
    {
        var visited = into ?? [];
        var pending = new Stack<ObjectId>(starts);
        while (pending.TryPop(out ObjectId? id))
        {
            if (stopAt?.Contains(id) == true || !visited.Add(id) || commits.Read(id) is not { } facts)
            {
                continue;
            }
            found(facts);
            foreach (ObjectId parent in facts.Parents)
            {
                pending.Push(parent);
            }
        }
    }

    private void ReportLimits()
    {
        if (_firstCutOff is not null)
        {
            warn(_firstCutOff, $"trees nested deeper than {MaxTreeDepth:N0} levels are not walked below that depth "
                + $"({_cutOffCommits:N0} {(_cutOffCommits == 1 ? "commit" : "commits")}; this is the first)");
        }
        if (_shortenedPaths > 0)
        {
            warn(repositoryName, $"{_shortenedPaths:N0} {(_shortenedPaths == 1 ? "path is" : "paths are")} longer than {TreePath.MaxLength:N0} characters: "
                + $"shortened in the middle ('{TreePath.Gap}') in findings");
        }
    }

    private void Visit(CommitReader commits, ObjectId id)
    {
        try
        {
            if (commits.Read(id) is not { } commit || commit.Tree() is not { } tree)
            {
                return;
            }
            var parentTrees = new List<Tree?>();
            foreach (ObjectId parent in commit.Parents)
            {
                Tree? parentTree = commits.Read(parent)?.Tree();
                if (parentTree?.Id == tree.Id)
                {
                    return;
                }
                parentTrees.Add(parentTree);
            }
            CompareTree(tree, parentTrees, new Lazy<CommitSummary>(commit.Summary));
        }
        catch (LibGit2SharpException e)
        {
            warn($"{repositoryName}@{id.Sha[..12]}", $"commit could not be read, the rest of the history is scanned: {OneLine(e)}");
        }
    }

    private void CompareTree(Tree root, List<Tree?> rootParents, Lazy<CommitSummary> commit)
    {
        // An explicit stack, not recursion: a hostile tree may nest as deep as it likes. Each
        // frame holds its tree's entry enumerator, its parents' trees and a bounded path, so a
        // walk costs memory linear in the depth it reaches, and the depth is capped.
        var stack = new Stack<TreeFrame>();
        stack.Push(new TreeFrame(root, rootParents, TreePath.Root));
        try
        {
            while (stack.TryPeek(out var frame))
            {
                TreeEntry entry;
                try
                {
                    if (!frame.Entries.MoveNext())
                    {
                        stack.Pop().Dispose();
                        continue;
                    }
                    entry = frame.Entries.Current;
                }
                catch (LibGit2SharpException e)
                {
                    stack.Pop().Dispose();
                    warn($"{Where(frame.Path)}@{commit.Value.Id[..12]}", $"tree could not be read, the rest of the commit is scanned: {OneLine(e)}");
                    continue;
                }
                ObjectId id = entry.Target.Id;
                bool unchanged = false;
                List<Tree?>? parentSubtrees = entry.TargetType == TreeEntryTargetType.Tree ? new List<Tree?>(frame.ParentTrees.Count) : null;
                foreach (Tree? parentTree in frame.ParentTrees)
                {
                    TreeEntry? before = EntryOf(parentTree, entry.Name);
                    if (before is not null && before.Target.Id == id)
                    {
                        unchanged = true;
                        break;
                    }
                    parentSubtrees?.Add(before?.TargetType == TreeEntryTargetType.Tree ? TreeOrNull(before.Target.Id) : null);
                }
                if (unchanged)
                {
                    continue;
                }
                switch (entry.TargetType)
                {
                    case TreeEntryTargetType.Tree:
                        TreePath folder = frame.Path.Folder(entry.Name);
                        if (stack.Count >= MaxTreeDepth)
                        {
                            NoteCutOff(folder, commit.Value);
                            continue;
                        }
                        Tree subtree;
                        try
                        {
                            subtree = repository.Lookup<Tree>(id) ?? throw new NotFoundException($"object not found - no match for id ({id.Sha})");
                        }
                        catch (LibGit2SharpException e)
                        {
                            warn($"{Where(folder)}@{commit.Value.Id[..12]}", $"tree {id.Sha} could not be read, the rest of the commit is scanned: {OneLine(e)}");
                            continue;
                        }
                        stack.Push(new TreeFrame(subtree, parentSubtrees!, folder));
                        break;
                    case TreeEntryTargetType.Blob:
                        TreePath file = frame.Path.File(entry.Name);
                        if (file.Shortened)
                        {
                            _shortenedPaths++;
                        }
                        Record(id, file.Text, commit.Value);
                        break;
                    default:
                        // Submodule links point into other repositories, which are scanned on their own.
                        break;
                }
            }
        }
        finally
        {
            while (stack.TryPop(out var frame))
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>A tree looked up by id, not through its entry: LibGit2Sharp names a tree reached
    /// through entries by its whole path, rebuilt at every level, which costs the square of the depth.</summary>
    private Tree? TreeOrNull(ObjectId id)
    {
        try
        {
            return repository.Lookup<Tree>(id);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private void NoteCutOff(TreePath folder, CommitSummary commit)
    {
        if (_cutOffCommits == 0 || _lastCutOffCommit != commit.Id)
        {
            _firstCutOff ??= $"{Where(folder)}@{commit.Id[..12]}";
            _lastCutOffCommit = commit.Id;
            _cutOffCommits++;
        }
    }

    /// <summary>How a warning names a folder: its start is enough to find it.</summary>
    private static string Where(TreePath folder) => folder.Text.Length == 0 ? "(root)" : CommitSummary.Cut(folder.Text, 256);

    /// <summary>One folder of the walk: what is left of its entries, its parents' trees of the same
    /// name (null where a parent has none), and its path.</summary>
    private sealed class TreeFrame(Tree tree, List<Tree?> parentTrees, TreePath path) : IDisposable
    {
        public IEnumerator<TreeEntry> Entries { get; } = tree.GetEnumerator();
        public List<Tree?> ParentTrees { get; } = parentTrees;
        public TreePath Path { get; } = path;

        public void Dispose() => Entries.Dispose();
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
