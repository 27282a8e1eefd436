namespace LeakGuard.Sources.Git;

public sealed record GitHistoryOptions
{
    /// <summary>Branches, tags or commits to walk from; empty means every branch and tag.</summary>
    public IReadOnlyList<string> Refs { get; init; } = [];

    /// <summary>Only what was introduced after this commit (it and its ancestors are left out).</summary>
    public string? SinceCommit { get; init; }

    /// <summary>Larger blobs are skipped with a warning instead of being read.</summary>
    public long MaxBlobSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>How findings name the repository (a URL for remotes, the path for local ones).</summary>
    public string? RepositoryName { get; init; }

    /// <summary>Blob ids scanned by an earlier run; they are not offered again.</summary>
    public IReadOnlySet<string> AlreadyScanned { get; init; } = new HashSet<string>();

    /// <summary>Asked once per scan, with the repository's name and the ids of the blobs the walk
    /// found new, which of them something else already scanned (the service's store); those are not
    /// offered either.</summary>
    public Func<string, IReadOnlyCollection<string>, IReadOnlySet<string>>? ScannedElsewhere { get; init; }

    /// <summary>Commits an earlier run walked from: they and their ancestors are not walked
    /// again (ids no longer in the repository, e.g. after a force-push, are ignored).</summary>
    public IReadOnlySet<string> AlreadyWalked { get; init; } = new HashSet<string>();
}
