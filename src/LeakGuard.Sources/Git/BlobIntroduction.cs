using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>Where one distinct blob first appeared, and how often it appeared again elsewhere.</summary>
internal sealed class BlobIntroduction(ObjectId blob, string path, CommitSummary commit)
{
    private HashSet<string>? _otherPaths;
    private string _lastCommitId = commit.Id;

    public ObjectId Blob { get; } = blob;
    public string Path { get; } = path;
    public CommitSummary Commit { get; } = commit;

    /// <summary>Other commits that introduced this same content (at any path).</summary>
    public int OtherCommits { get; private set; }

    public int OtherPaths => _otherPaths?.Count ?? 0;

    public void SeenAgain(string path, CommitSummary commit)
    {
        if (path != Path)
        {
            (_otherPaths ??= new HashSet<string>(StringComparer.Ordinal)).Add(path);
        }
        // Commits arrive one after another, so comparing with the last one counts each once.
        if (commit.Id != _lastCommitId)
        {
            _lastCommitId = commit.Id;
            OtherCommits++;
        }
    }
}
